import { describe, expect, it } from 'vitest';
import {
  attachmentRefusal,
  EMAIL_TEXT_MAX,
  holdReason,
  isAutomatedMail,
  keptText,
  mentionedStaffIds,
  newWordsOf,
  REPLY_TOKEN,
  replyTokenIn,
  replyTokenOf,
  sniffedType,
} from '#domain/conversation.ts';

const PASS = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };

describe('a conversation’s rules', () => {
  it('finds the colleagues a note mentions, once each, and not inside an email address', () => {
    const staff = ['lead-chen', 'agent-li', 'tech-wang'];
    expect(mentionedStaffIds('@lead-chen and @agent-li, then @lead-chen again', staff)).toEqual([
      'lead-chen',
      'agent-li',
    ]);
    expect(mentionedStaffIds('mail tech-wang@demo.example or @nobody', staff)).toEqual([]);
    expect(mentionedStaffIds('请@tech-wang 上门', staff)).toEqual(['tech-wang']);
  });

  it('makes a reply token of 20 lowercase base32 characters and finds it in an address or a reference', () => {
    const token = replyTokenOf(new Uint8Array(32).fill(0xa5));
    expect(token).toMatch(REPLY_TOKEN);
    const domain = 'reply.shop.example';
    expect(
      replyTokenIn(
        { recipients: [`Reply+${token.toUpperCase()}@REPLY.shop.example`], references: [] },
        domain,
      ),
    ).toBe(token);
    expect(replyTokenIn({ recipients: [], references: [`<thread.${token}@${domain}>`] }, domain)).toBe(token);
    // Another domain's, or a token of another form, is not ours.
    expect(
      replyTokenIn({ recipients: [`reply+${token}@other.example`], references: [] }, domain),
    ).toBeUndefined();
    expect(replyTokenIn({ recipients: [`reply+short@${domain}`], references: [] }, domain)).toBeUndefined();
  });

  it('keeps the new words of an email and sets the quoted history apart, in English and Chinese clients', () => {
    expect(newWordsOf('Here it is.\n\nOn Mon, 2 Mar 2026 at 10:00, Shop wrote:\n> Send a photo')).toEqual({
      words: 'Here it is.',
      quoted: 'On Mon, 2 Mar 2026 at 10:00, Shop wrote:\n> Send a photo',
    });
    expect(newWordsOf('好的，已拍照。\n\n在 2026年3月2日 10:00，商家 写道：\n> 请拍照').words).toBe(
      '好的，已拍照。',
    );
    expect(newWordsOf('Thanks\r\n-- \r\nAnn Lee\r\nSent from my phone').words).toBe('Thanks');
    expect(newWordsOf('Fine.\n\n-----Original Message-----\nFrom: Shop').words).toBe('Fine.');
    // An answer written below the quote keeps everything: cutting would lose it.
    expect(newWordsOf('> Send a photo\nHere it is').words).toBe('> Send a photo\nHere it is');
    // Only quotes: nothing cut rather than nothing left.
    expect(newWordsOf('> only a quote').words).toBe('> only a quote');
  });

  it('keeps at most 50,000 characters of an email’s words in a message, marking the cut', () => {
    expect(keptText('short')).toBe('short');
    const long = keptText('x'.repeat(60_000));
    expect(long).toHaveLength(EMAIL_TEXT_MAX + 4);
    expect(long.endsWith('\n[…]')).toBe(true);
  });

  it('recognises mail written by a machine, which is never answered', () => {
    const from = 'ann@customer.example';
    expect(isAutomatedMail({ headers: { 'auto-submitted': 'auto-replied' }, from })).toBe(true);
    expect(isAutomatedMail({ headers: { 'auto-submitted': 'no' }, from })).toBe(false);
    expect(isAutomatedMail({ headers: { precedence: 'bulk' }, from })).toBe(true);
    expect(isAutomatedMail({ headers: { 'x-auto-response-suppress': 'OOF, AutoReply' }, from })).toBe(true);
    expect(isAutomatedMail({ headers: {}, from: 'MAILER-DAEMON@mx.example' })).toBe(true);
    expect(
      isAutomatedMail({ headers: { 'content-type': 'multipart/report; report-type=delivery-status' }, from }),
    ).toBe(true);
    expect(isAutomatedMail({ headers: { 'content-type': 'text/plain' }, from })).toBe(false);
  });

  it('holds mail that is not authenticated, carries spam or a virus, or comes from an address the subject does not know', () => {
    const known = ['Ann@Customer.example'];
    expect(holdReason(PASS, 'ann@customer.example', known)).toBeUndefined();
    expect(holdReason({ ...PASS, spf: 'FAIL' }, 'ann@customer.example', known)).toBeUndefined();
    expect(holdReason({ ...PASS, spf: 'FAIL', dkim: 'GRAY' }, 'ann@customer.example', known)).toBe(
      'unauthenticated',
    );
    expect(holdReason({ ...PASS, dmarc: 'FAIL' }, 'ann@customer.example', known)).toBe('unauthenticated');
    expect(holdReason({ ...PASS, virus: 'FAIL' }, 'ann@customer.example', known)).toBe('virus');
    expect(holdReason({ ...PASS, spam: 'FAIL' }, 'ann@customer.example', known)).toBe('spam');
    expect(holdReason(PASS, 'someone@else.example', known)).toBe('unknown-sender');
  });

  it('keeps photos and PDFs by their content, within the size limit', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    const pdf = new TextEncoder().encode('%PDF-1.7');
    expect(sniffedType(jpeg)).toBe('image/jpeg');
    expect(sniffedType(pdf)).toBe('application/pdf');
    expect(attachmentRefusal({ size: 1000, head: jpeg })).toBeUndefined();
    expect(attachmentRefusal({ size: 1000, head: new TextEncoder().encode('MZ\x90\x00') })).toBe(
      'not a photo (JPEG, PNG, GIF, WebP) or a PDF by its content',
    );
    expect(attachmentRefusal({ size: 11 * 1024 * 1024, head: jpeg })).toBe('larger than 10 MB');
  });
});
