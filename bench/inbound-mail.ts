import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import PostalMime from 'postal-mime';
import { attachmentRefusal, newWordsOf } from '#domain/conversation.ts';

/**
 * A customer's answer taken in (#36): what parsing it costs in time (postal-mime, then the new
 * words and each file's check, as functions/inbound-mail/take-in.ts does), and what a message
 * costs on AWS: SES receiving, the raw email in S3 for 90 days, the Lambda that takes it in, and
 * its DynamoDB writes. us-east-1 list prices (2026).
 */
const SES_RECEIVED_PER_EMAIL_USD = 0.1 / 1000;
/** SES also bills each 256 KB of an incoming email. */
const SES_RECEIVED_PER_CHUNK_USD = 0.09 / 1000;
const S3_PUT_USD = 0.005 / 1000;
const S3_GET_USD = 0.0004 / 1000;
const S3_GB_MONTH_USD = 0.023;
const KEPT_MONTHS = 3;
const LAMBDA_REQUEST_USD = 0.2 / 1_000_000;
const LAMBDA_GB_SECOND_USD = 0.0000166667;
const LAMBDA_MEMORY_GB = 0.5;
/** Round trips besides the parse: the S3 read and five DynamoDB calls (thread, subject, message, timeline). */
const AWS_CALLS_MS = 20 + 5 * 5;
const DYNAMODB_WRITE_UNIT_USD = 1.25 / 1_000_000;
const DYNAMODB_READ_UNIT_USD = 0.25 / 1_000_000;

async function composed(attachmentBytes: number): Promise<Buffer> {
  const photo = randomBytes(attachmentBytes);
  if (attachmentBytes > 0) photo.set([0xff, 0xd8, 0xff, 0xe0]);
  const mail = new MailComposer({
    from: 'Ann Lee <ann@customer.example>',
    to: 'reply+abcdefghijklmnopqrst@reply.demo.example',
    subject: 'Re: Demo Electronics: your service request sr_bench',
    messageId: '<bench@customer.example>',
    text: `Here is the photo of the nameplate.\n\nOn Mon, 2 Mar 2026 at 10:00, Demo wrote:\n${'> Could you send a photo?\n'.repeat(20)}`,
    attachments:
      attachmentBytes > 0 ? [{ filename: 'nameplate.jpg', content: photo, contentType: 'image/jpeg' }] : [],
  });
  return mail.compile().build();
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export async function inboundMailBench(): Promise<void> {
  const rows = [];
  for (const [label, bytes, runs] of [
    ['text only', 0, 400],
    ['text + 200 KB photo', 200 * 1024, 100],
    ['text + 3 MB photo', 3 * 1024 * 1024, 20],
  ] as const) {
    const raw = await composed(bytes);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
      newWordsOf(email.text ?? '');
      for (const file of email.attachments) {
        const content = new Uint8Array(file.content as ArrayBuffer);
        attachmentRefusal({ size: content.byteLength, head: content.subarray(0, 16) });
      }
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const chunks = Math.ceil(raw.length / (256 * 1024));
    const lambdaSeconds = Math.ceil(mean + AWS_CALLS_MS) / 1000;
    const perMessage =
      SES_RECEIVED_PER_EMAIL_USD +
      chunks * SES_RECEIVED_PER_CHUNK_USD +
      S3_PUT_USD +
      S3_GET_USD +
      (raw.length / 1024 ** 3) * S3_GB_MONTH_USD * KEPT_MONTHS +
      LAMBDA_REQUEST_USD +
      lambdaSeconds * LAMBDA_MEMORY_GB * LAMBDA_GB_SECOND_USD +
      // The message (1–3 KB) and the subject's timeline entry (its item ~4 KB): ~6 write units; 3 reads.
      6 * DYNAMODB_WRITE_UNIT_USD +
      3 * DYNAMODB_READ_UNIT_USD;
    rows.push({
      email: label,
      'raw size': `${(raw.length / 1024).toFixed(0)} KiB`,
      'parse mean ms': mean.toFixed(2),
      'parse p95 ms': percentile(times, 0.95).toFixed(2),
      'USD per 1,000 on AWS': (perMessage * 1000).toFixed(4),
    });
  }
  console.log(
    '\nInbound email (#36): parse and check, one core; cost per 1,000 messages on AWS (SES receiving, S3 90 days, Lambda 512 MB, DynamoDB)',
  );
  console.table(rows);
}
