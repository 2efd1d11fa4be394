import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MailVerdicts } from '#domain/conversation.ts';
import type { TakenIn } from '#functions/inbound-mail/take-in.ts';
import { tracked } from './activity.ts';

/**
 * SES receiving's stand-in (#36): an SMTP server any mail client or `swaks` can send to, which
 * keeps each raw email (as the receipt rule's S3 action does, under `inbound/`) and hands it to
 * the code the inbound-mail Lambda runs (functions/inbound-mail/take-in.ts). SES's verdicts
 * cannot be computed here: every check passes unless the email carries `X-Local-Verdicts`
 * (`spf=FAIL, dkim=FAIL`), so a holding rule can be tried by hand.
 */
export interface LocalSmtp {
  port: number;
  /** What each email became, in the order received (`GET /_local/inbound-mail` shows them). */
  received: {
    at: string;
    from: string;
    to: string[];
    outcome: TakenIn | { outcome: 'failed'; error: string };
  }[];
  close(): Promise<void>;
}

const PASS: MailVerdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };

/** The verdicts an email asks the stand-in for: `X-Local-Verdicts: spf=FAIL, dkim=FAIL`. */
export function localVerdicts(raw: Buffer): MailVerdicts {
  const head = raw
    .subarray(0, raw.indexOf('\r\n\r\n') === -1 ? raw.length : raw.indexOf('\r\n\r\n'))
    .toString('latin1');
  const line = /^x-local-verdicts:\s*(.+)$/im.exec(head)?.[1] ?? '';
  const verdicts = { ...PASS };
  for (const [, name, value] of line.matchAll(/(spf|dkim|dmarc|spam|virus)\s*=\s*([A-Z_]+)/gi))
    verdicts[name!.toLowerCase() as keyof MailVerdicts] = value!.toUpperCase();
  return verdicts;
}

/**
 * The SMTP server runs in a worker thread: smtp-server paces a connection with the global
 * `setTimeout`, which the virtual clock owns in this thread (time standing still would keep
 * every client waiting for its greeting). The worker passes each email here and answers the
 * client with what became of it.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { SMTPServer } = require(workerData.smtpServer);
const waiting = new Map();
let next = 0;
parentPort.on('message', ({ id, error, reply }) => {
  const callback = waiting.get(id);
  waiting.delete(id);
  if (!error) return callback(null, reply);
  const failure = new Error(error);
  failure.responseCode = 451;
  callback(failure);
});
const server = new SMTPServer({
  disabledCommands: ['AUTH', 'STARTTLS'],
  authOptional: true,
  disableReverseLookup: true,
  banner: 'after-sales local inbound mail (SES receiving stand-in)',
  size: 40 * 1024 * 1024,
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const id = next++;
      waiting.set(id, callback);
      parentPort.postMessage({
        id,
        raw: Buffer.concat(chunks),
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((address) => address.address),
      });
    });
  },
});
server.on('error', (error) => parentPort.postMessage({ failed: String(error) }));
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.server.address().port }));
`;

export async function startLocalSmtp(options: {
  port: number;
  /** Where raw emails are kept (the inbound bucket's stand-in); none: in memory only. */
  directory?: string;
  now: () => Date;
  takeIn: (
    raw: Uint8Array,
    envelope: { recipients: string[]; verdicts: MailVerdicts; receivedAt: Date; rawKey?: string },
  ) => Promise<TakenIn>;
}): Promise<LocalSmtp> {
  const received: LocalSmtp['received'] = [];
  if (options.directory) mkdirSync(options.directory, { recursive: true });
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { port: options.port, smtpServer: createRequire(import.meta.url).resolve('smtp-server') },
  });

  const takeIn = async (raw: Buffer, from: string, to: string[]) => {
    const at = options.now();
    const name = `${at.getTime()}-${createHash('sha256').update(raw).digest('hex').slice(0, 12)}.eml`;
    let rawKey: string | undefined;
    if (options.directory) {
      writeFileSync(join(options.directory, name), raw);
      rawKey = `inbound/${name}`;
    }
    try {
      const outcome = await tracked(
        () => options.takeIn(raw, { recipients: to, verdicts: localVerdicts(raw), receivedAt: at, rawKey }),
        'inbound email',
      );
      received.push({ at: at.toISOString(), from, to, outcome });
      return `Queued as ${'messageId' in outcome ? outcome.messageId : outcome.heldId}`;
    } catch (error) {
      received.push({ at: at.toISOString(), from, to, outcome: { outcome: 'failed', error: String(error) } });
      throw error;
    }
  };

  const port = await new Promise<number>((resolve, reject) => {
    worker.on('error', reject);
    worker.on(
      'message',
      (message: {
        port?: number;
        failed?: string;
        id?: number;
        raw?: Uint8Array;
        from?: string;
        to?: string[];
      }) => {
        if (message.port !== undefined) return resolve(message.port);
        if (message.failed !== undefined) return reject(new Error(message.failed));
        const { id } = message;
        takeIn(Buffer.from(message.raw!), message.from!, message.to!).then(
          (reply) => worker.postMessage({ id, reply }),
          // A temporary failure: the sending server keeps the email and tries again (nothing lost).
          () => worker.postMessage({ id, error: 'Temporary failure: try again later' }),
        );
      },
    );
  });
  return {
    port,
    received,
    close: async () => {
      await worker.terminate();
    },
  };
}
