import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailsAbout, repairRequest } from '#local/driver/lifecycle.ts';
import { createOtherTenant, type SentEmail, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The request as a conversation (#36): staff notes and replies, the customer's answers by
 * email (sent by a real SMTP client to the local stand-in of SES receiving), and what is held.
 */

let runtime: TestRuntime;
let otherTenantKey: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  otherTenantKey = await createOtherTenant('other-shop', { language: 'en' });
});
afterAll(async () => {
  await runtime.dispose();
});

const customer = { name: 'Ann Lee', email: 'ann@customer.example', language: 'en' as const };

/** A JPEG's first bytes (SOI, JFIF APP0) and an end: what a phone's photo starts with. */
const jpeg = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xd9,
]);

/** A mail client sending to the local SES receiving stand-in. */
async function sendMail(message: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0]) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: runtime.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

const header = (email: SentEmail, name: string) =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

async function newRequest(apiKey?: string) {
  const created = await runtime.api(
    'POST',
    '/v1/requests',
    repairRequest({ customer }),
    apiKey ? { apiKey } : {},
  );
  expect(created.status).toBe(201);
  return created.body.requestId as string;
}

/** Our reply to the customer, as their mail client received it. */
async function replyTo(requestId: string, text: string) {
  const sent = await runtime.api('POST', `/v1/requests/${requestId}/replies`, { text });
  expect(sent.status).toBe(201);
  expect(sent.body.delivery).toBe('sent');
  const email = emailsAbout(await runtime.mailbox(), requestId)
    .filter((e) => e.subject.startsWith('Re:'))
    .at(-1)!;
  // The customer reads it and answers a minute later.
  await runtime.advance(60);
  return email;
}

describe('a request’s conversation', () => {
  it('sends a reply threaded, from the tenant, with a reply address that leads back to the request', async () => {
    const requestId = await newRequest();
    const email = await replyTo(requestId, 'Could you send a photo of the nameplate?');
    expect(email.destination.to).toEqual([customer.email]);
    expect(email.subject).toBe(`Re: Demo Electronics Co., Ltd.: your service request ${requestId}`);
    expect(email.body.text).toContain('Could you send a photo of the nameplate?');
    const [replyAddress] = email.replyTo;
    expect(replyAddress).toMatch(/^reply\+[a-z2-7]{20}@demo\.example$/);
    const token = replyAddress!.slice('reply+'.length, replyAddress!.indexOf('@'));
    expect(header(email, 'References')).toBe(`<thread.${token}@demo.example>`);

    // Every reply on the request has the same address; another request has another.
    expect((await replyTo(requestId, 'And the serial number, please.')).replyTo).toEqual([replyAddress]);
    const other = await newRequest();
    expect((await replyTo(other, 'Hello')).replyTo[0]).not.toBe(replyAddress);
  });

  it('puts the customer’s answer, with its photo and without the quoted history, on the request', async () => {
    const requestId = await newRequest();
    const ours = await replyTo(requestId, 'Could you send a photo of the nameplate?');
    await sendMail({
      from: `"${customer.name}" <${customer.email}>`,
      to: ours.replyTo[0],
      subject: `Re: ${ours.subject}`,
      messageId: '<answer-1@customer.example>',
      text: 'Here it is, the serial is on the left.\n\nOn Mon, 2 Mar 2026 at 10:00, Demo Electronics wrote:\n> Could you send a photo of the nameplate?\n',
      attachments: [{ filename: 'nameplate.jpg', content: jpeg, contentType: 'image/jpeg' }],
    });
    const { body } = await runtime.api('GET', `/v1/requests/${requestId}/conversation`);
    const answer = body.messages.at(-1);
    expect(body.messages.map((m: { kind: string }) => m.kind)).toEqual(['reply', 'customer']);
    expect(answer).toMatchObject({
      kind: 'customer',
      author: customer.email,
      text: 'Here it is, the serial is on the left.',
      attachments: [{ filename: 'nameplate.jpg', contentType: 'image/jpeg', size: jpeg.length }],
    });
    expect(answer.quoted).toContain('> Could you send a photo of the nameplate?');
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.lastCustomerMessageAt).toBeDefined();
    expect(request.timeline.map((e: { type: string }) => e.type)).toContain('customer_wrote');

    // Our next reply answers it: a client threads it under the customer's email.
    const next = await replyTo(requestId, 'Thank you, a technician will call.');
    expect(header(next, 'In-Reply-To')).toBe('<answer-1@customer.example>');

    // The same email delivered again (a sending server's retry) is one message.
    await sendMail({
      from: customer.email,
      to: ours.replyTo[0],
      subject: `Re: ${ours.subject}`,
      messageId: '<answer-1@customer.example>',
      text: 'Here it is, the serial is on the left.',
    });
    const again = (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages;
    expect(again.filter((m: { kind: string }) => m.kind === 'customer')).toHaveLength(1);
  });

  it('refuses a file that is not what it claims, as a note on the message, and keeps the words', async () => {
    const requestId = await newRequest();
    const ours = await replyTo(requestId, 'A photo, please.');
    await sendMail({
      from: customer.email,
      to: ours.replyTo[0],
      subject: 'photo',
      text: 'Photo attached',
      attachments: [
        { filename: 'photo.jpg', content: Buffer.from('MZ not a photo'), contentType: 'image/jpeg' },
      ],
    });
    const [, answer] = (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages;
    expect(answer.text).toBe('Photo attached');
    expect(answer.attachments[0].refused).toBe('not a photo (JPEG, PNG, GIF, WebP) or a PDF by its content');
  });

  it('holds, and never adds to any conversation, a forged reply address, an unknown sender or another tenant’s customer', async () => {
    const requestId = await newRequest();
    const ours = await replyTo(requestId, 'Hello');
    await sendMail({
      from: customer.email,
      to: 'reply+aaaaaaaaaaaaaaaaaaaa@demo.example',
      subject: 'forged',
      text: 'x',
    });
    await sendMail({
      from: 'stranger@elsewhere.example',
      to: ours.replyTo[0],
      subject: 'hi',
      text: 'let me in',
    });
    // Another tenant's request: its reply address, written to by this tenant's customer.
    const theirs = await newRequest(otherTenantKey);
    const theirReply = await runtime.api(
      'POST',
      `/v1/requests/${theirs}/replies`,
      { text: 'Hello from the other shop' },
      { apiKey: otherTenantKey },
    );
    expect(theirReply.status).toBe(201);
    const theirAddress = emailsAbout(await runtime.mailbox(), theirs).at(-1)!.replyTo[0]!;
    await sendMail({ from: 'someone@customer.example', to: theirAddress, subject: 'hi', text: 'cross' });

    const conversation = (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages;
    expect(conversation.map((m: { kind: string }) => m.kind)).toEqual(['reply']);
    // The runtime's inbound side says what each became (newest first), as a demo shows it.
    const inbound = (await runtime.api('GET', '/_local/inbound-mail', undefined, { apiKey: null })).body
      .received;
    expect(inbound.slice(0, 2)).toMatchObject([
      { from: 'someone@customer.example', to: [theirAddress], outcome: { outcome: 'held' } },
      { from: 'stranger@elsewhere.example', to: [ours.replyTo[0]], outcome: { outcome: 'held' } },
    ]);
    const held = (await runtime.api('GET', '/v1/held-mail')).body.items;
    expect(held).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'unknown-sender',
          from: 'stranger@elsewhere.example',
          subjectId: requestId,
        }),
      ]),
    );
    expect(JSON.stringify(held)).not.toContain('forged');
    expect(JSON.stringify(held)).not.toContain('cross');
    const theirHeld = (await runtime.api('GET', '/v1/held-mail', undefined, { apiKey: otherTenantKey })).body
      .items;
    expect(theirHeld).toEqual([expect.objectContaining({ reason: 'unknown-sender', subjectId: theirs })]);
    // The forged address named nothing: held for the operators, in no tenant's list.
    const received = runtime.smtp.received.map((r) => r.outcome);
    expect(received).toContainEqual(expect.objectContaining({ outcome: 'held', reason: 'no-subject' }));
    // And one tenant cannot read another's conversation.
    expect((await runtime.api('GET', `/v1/requests/${theirs}/conversation`)).status).toBe(404);
  });

  it('lets staff take held mail into the conversation, or dismiss it', async () => {
    const requestId = await newRequest();
    const ours = await replyTo(requestId, 'Hello');
    // The customer's husband answers from his own address.
    await sendMail({
      from: 'lee.wei@customer.example',
      to: ours.replyTo[0],
      subject: 'Re',
      text: 'It is model KF-35',
    });
    await sendMail({
      from: 'spam@elsewhere.example',
      to: ours.replyTo[0],
      subject: 'Offer',
      text: 'Buy now',
    });
    const held = (await runtime.api('GET', '/v1/held-mail')).body.items as { heldId: string; from: string }[];
    const husband = held.find((h) => h.from === 'lee.wei@customer.example')!;
    const spam = held.find((h) => h.from === 'spam@elsewhere.example')!;

    const accepted = await runtime.api('POST', `/v1/held-mail/${husband.heldId}/accept`, {});
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({
      subjectId: requestId,
      kind: 'customer',
      author: 'lee.wei@customer.example',
    });
    const conversation = (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages;
    expect(conversation.map((m: { text: string }) => m.text)).toEqual(['Hello', 'It is model KF-35']);
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.timeline.find((e: { type: string }) => e.type === 'customer_wrote').details).toMatchObject(
      {
        heldAs: 'unknown-sender',
        acceptedBy: expect.any(String),
      },
    );

    expect((await runtime.api('POST', `/v1/held-mail/${spam.heldId}/dismiss`)).status).toBe(200);
    const left = (await runtime.api('GET', '/v1/held-mail')).body.items.map(
      (h: { heldId: string }) => h.heldId,
    );
    expect(left).not.toContain(husband.heldId);
    expect(left).not.toContain(spam.heldId);
    expect((await runtime.api('POST', `/v1/held-mail/${spam.heldId}/accept`, {})).status).toBe(404);
  });

  it('does not answer or take in an out-of-office, so no mail loop starts', async () => {
    const requestId = await newRequest();
    const ours = await replyTo(requestId, 'Hello');
    const before = (await runtime.mailbox()).length;
    await sendMail({
      from: customer.email,
      to: ours.replyTo[0],
      subject: 'Automatic reply: away',
      text: 'I am out of the office until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await runtime.settled();
    expect((await runtime.mailbox()).length).toBe(before);
    const conversation = (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages;
    expect(conversation.map((m: { kind: string }) => m.kind)).toEqual(['reply']);
    expect((await runtime.api('GET', '/v1/held-mail')).body.items).toContainEqual(
      expect.objectContaining({ reason: 'automated', subjectId: requestId }),
    );
  });

  it('holds an email whose sender’s domain did not authenticate it (SES’s SPF and DKIM verdicts)', async () => {
    const requestId = await newRequest();
    const ours = await replyTo(requestId, 'Hello');
    await sendMail({
      from: customer.email,
      to: ours.replyTo[0],
      subject: 'spoofed',
      text: 'Please refund to this other account',
      headers: { 'X-Local-Verdicts': 'spf=FAIL, dkim=FAIL' },
    });
    expect((await runtime.api('GET', '/v1/held-mail')).body.items).toContainEqual(
      expect.objectContaining({ reason: 'unauthenticated', subjectId: requestId }),
    );
  });

  it('shows an answer to a cancelled request without reopening it', async () => {
    const requestId = await newRequest();
    const ours = await replyTo(requestId, 'Hello');
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'Withdrawn by phone' });
    await sendMail({
      from: customer.email,
      to: ours.replyTo[0],
      subject: 'wait',
      text: 'Actually I still need it',
    });
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.status).toBe('cancelled');
    expect(request.timeline.map((e: { type: string }) => e.type)).toContain('customer_wrote_after_end');
    const [, answer] = (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages;
    expect(answer).toMatchObject({ text: 'Actually I still need it', afterEnd: true });
  });

  it('keeps notes internal and emails each colleague a note mentions', async () => {
    const requestId = await newRequest();
    const note = await runtime.api('POST', `/v1/requests/${requestId}/notes`, {
      text: 'Customer called twice. @lead-chen can you approve a replacement? (not @nobody)',
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', mentions: ['lead-chen'] });
    const mail = emailsAbout(await runtime.mailbox(), requestId);
    expect(mail.map((e) => e.destination.to[0])).toEqual(['team-lead@demo.example']);
    expect(mail[0]!.body.text).toContain(`/console/requests/${requestId}`);
    expect(mail.some((e) => e.destination.to.includes(customer.email))).toBe(false);
    const conversation = (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages;
    expect(conversation).toEqual([expect.objectContaining({ kind: 'note', messageId: note.body.messageId })]);

    // A note retried with its Idempotency-Key is one note, and one email.
    const keyed = { headers: { 'idempotency-key': 'note-1' } };
    await runtime.api('POST', `/v1/requests/${requestId}/notes`, { text: '@lead-chen again' }, keyed);
    await runtime.api('POST', `/v1/requests/${requestId}/notes`, { text: '@lead-chen again' }, keyed);
    expect(emailsAbout(await runtime.mailbox(), requestId)).toHaveLength(2);
  });

  it('hands the conversation over on export and erases the customer’s words and files with them', async () => {
    const mei = { name: 'Sun Mei', email: 'sun.mei@customer.example', language: 'en' as const };
    const created = await runtime.api('POST', '/v1/requests', repairRequest({ customer: mei }));
    const requestId = created.body.requestId as string;
    const ours = await replyTo(requestId, 'Which model is it?');
    await sendMail({
      from: mei.email,
      to: ours.replyTo[0],
      subject: 'model',
      text: 'It is the KF-35GW, bought in Hangzhou',
      attachments: [{ filename: 'sun-mei-receipt.jpg', content: jpeg, contentType: 'image/jpeg' }],
    });
    const exported = await runtime.api('POST', '/v1/customer-data/export', { email: mei.email });
    const [request] = exported.body.requests;
    expect(request.conversation.map((m: { kind: string; text: string }) => [m.kind, m.text])).toEqual([
      ['reply', 'Which model is it?'],
      ['customer', 'It is the KF-35GW, bought in Hangzhou'],
    ]);

    const erased = await runtime.api('POST', '/v1/customer-data/erase', {
      email: mei.email,
      reason: 'asked',
    });
    expect(erased.status).toBe(200);
    const after = JSON.stringify((await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body);
    for (const trace of ['KF-35GW', 'Hangzhou', 'sun-mei-receipt', mei.email])
      expect(after).not.toContain(trace);
  });

  it('is the same conversation on a feedback case: a reply, the customer’s answer, a note', async () => {
    const complaint = await runtime.api('POST', '/v1/feedback', {
      category: 'complaint',
      customer,
      content: 'The technician came a day late',
    });
    const { feedbackId } = complaint.body;
    const reply = await runtime.api('POST', `/v1/feedback/${feedbackId}/replies`, {
      text: 'We are sorry. What time suits you for a call?',
    });
    expect(reply.status).toBe(201);
    const email = emailsAbout(await runtime.mailbox(), feedbackId).at(-1)!;
    expect(email.subject).toBe(`Re: Demo Electronics Co., Ltd.: your feedback ${feedbackId}`);
    await runtime.advance(60);
    await sendMail({
      from: customer.email,
      to: email.replyTo[0],
      subject: `Re: ${email.subject}`,
      text: 'After 6 pm',
    });
    await runtime.advance(60);
    await runtime.api('POST', `/v1/feedback/${feedbackId}/notes`, { text: 'Call booked for 18:30' });
    const { body } = await runtime.api('GET', `/v1/feedback/${feedbackId}/conversation`);
    expect(body.messages.map((m: { kind: string; text: string }) => [m.kind, m.text])).toEqual([
      ['reply', 'We are sorry. What time suits you for a call?'],
      ['customer', 'After 6 pm'],
      ['note', 'Call booked for 18:30'],
    ]);
    expect((await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body.lastCustomerMessageAt).toBeDefined();
  });

  it('counts a first reply as the response where the tenant chose so (6.1.2): acknowledged, no second email, no breach', async () => {
    expect((await runtime.api('PUT', '/v1/settings', { replyConfirmsNeed: true })).status).toBe(200);
    try {
      const requestId = await newRequest();
      await runtime.advance(30 * 60);
      await replyTo(requestId, 'We have your request: is the fan still grinding when idle?');
      const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
      expect(request).toMatchObject({ status: 'acknowledged', confirmationSent: true });
      expect(request.timeline.find((e: { type: string }) => e.type === 'acknowledged').details.by).toBe(
        'reply',
      );
      // Past the 2-hour deadline: nothing escalates, and the customer got the reply alone.
      await runtime.advance(3 * 3600);
      const mail = emailsAbout(await runtime.mailbox(), requestId);
      expect(mail.map((e) => e.subject)).toEqual([
        `Re: Demo Electronics Co., Ltd.: your service request ${requestId}`,
      ]);
      expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.breaches).toEqual([]);
    } finally {
      await runtime.api('PUT', '/v1/settings', { replyConfirmsNeed: null });
    }
  });

  it('refuses an empty note or reply with the field that is wrong', async () => {
    const requestId = await newRequest();
    const empty = await runtime.api('POST', `/v1/requests/${requestId}/replies`, { text: '   ' });
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.body.error.fields)).toEqual(['text']);
    expect((await runtime.api('POST', '/v1/requests/sr_nothing/notes', { text: 'x' })).status).toBe(404);
  });
});
