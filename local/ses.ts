import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { stampResponsesWithClockDate, trackRequestsOf } from './activity.ts';
import { answerInProcess } from './in-process-http.ts';

const require = createRequire(import.meta.url);
const sesServer = (
  require('aws-ses-v2-local') as { default: (config: { host: string; port: number }) => Promise<Server> }
).default;
/** aws-ses-v2-local keeps its mailbox in this module's memory; its handlers call these at each send. */
const store = require('aws-ses-v2-local/dist/store') as {
  saveEmail: (email: unknown) => void;
  clearStore: () => void;
  getStoreReadonly: () => { emails: unknown[] };
};
const originals = { saveEmail: store.saveEmail, clearStore: store.clearStore };

export interface LocalSes {
  /** Also the mailbox page (GET /) and the store (GET /store) that tests read. */
  endpoint: string;
  /**
   * As if the domain's owner published its DKIM records and SES found them: its identity becomes
   * verified. False when no identity names the domain.
   */
  publishDkimRecords(domain: string): boolean;
  close(): Promise<void>;
}

/**
 * The local SES. Its mailbox is kept in a file under the data directory as well as in memory,
 * so it holds every email the system ever sent, across restarts (and crashes: one line is
 * appended, synchronously, as each email is accepted).
 */
interface LocalIdentity {
  tenant?: string;
  tokens: string[];
  verified: boolean;
}

/**
 * SES domain identities, which aws-ses-v2-local does not serve: CreateEmailIdentity,
 * GetEmailIdentity and DeleteEmailIdentity as the SESv2 REST API answers them (errors named by
 * `x-amzn-errortype`), kept in a file so they outlive restarts. Our own domain (MAIL_FROM's) is
 * verified from the start, as the deployed stack's identity is.
 */
function identityService(path: string, ourDomain: string) {
  const identities: Record<string, LocalIdentity> = existsSync(path)
    ? JSON.parse(readFileSync(path, 'utf8'))
    : { [ourDomain]: { tokens: [], verified: true } };
  const save = () => writeFileSync(path, JSON.stringify(identities));
  const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(JSON.stringify(errorType ? { message: body } : body));
  };
  const shown = (identity: LocalIdentity) => ({
    IdentityType: 'DOMAIN',
    Tags: identity.tenant ? [{ Key: 'tenant', Value: identity.tenant }] : [],
    VerifiedForSendingStatus: identity.verified,
    VerificationStatus: identity.verified ? 'SUCCESS' : 'PENDING',
    DkimAttributes: {
      SigningEnabled: true,
      Status: identity.verified ? 'SUCCESS' : 'PENDING',
      Tokens: identity.tokens,
      SigningAttributesOrigin: 'AWS_SES',
    },
  });
  return {
    /** Serves the request if it is about identities; false to let the mail server have it. */
    serve(req: IncomingMessage, res: ServerResponse): boolean {
      const match = /^\/v2\/email\/identities(?:\/([^/?]+))?(?:\?.*)?$/.exec(req.url ?? '');
      if (!match) return false;
      const name = match[1] ? decodeURIComponent(match[1]).toLowerCase() : undefined;
      if (!name && req.method === 'POST') {
        let raw = '';
        req.on('data', (chunk) => {
          raw += chunk;
        });
        req.on('end', () => {
          let input: { EmailIdentity?: string; Tags?: { Key: string; Value: string }[] };
          try {
            input = JSON.parse(raw || '{}');
          } catch {
            return send(res, 400, 'The request body is not valid JSON', 'BadRequestException');
          }
          const domain = String(input.EmailIdentity ?? '').toLowerCase();
          if (!domain) return send(res, 400, 'EmailIdentity is required', 'BadRequestException');
          if (identities[domain])
            return send(res, 400, `Email identity ${domain} already exist.`, 'AlreadyExistsException');
          const identity: LocalIdentity = {
            tenant: input.Tags?.find((tag) => tag.Key === 'tenant')?.Value,
            tokens: [0, 1, 2].map(() => randomBytes(16).toString('hex')),
            verified: false,
          };
          identities[domain] = identity;
          save();
          const { IdentityType, VerifiedForSendingStatus, DkimAttributes } = shown(identity);
          send(res, 200, { IdentityType, VerifiedForSendingStatus, DkimAttributes });
        });
        return true;
      }
      const identity = name ? identities[name] : undefined;
      if (!name || !identity) {
        send(res, 404, `Email identity ${name ?? ''} does not exist.`, 'NotFoundException');
        return true;
      }
      if (req.method === 'GET') send(res, 200, shown(identity));
      else if (req.method === 'DELETE') {
        delete identities[name];
        save();
        send(res, 200, {});
      } else send(res, 405, 'Method not allowed', 'BadRequestException');
      return true;
    },
    publish(domain: string): boolean {
      const identity = identities[domain.toLowerCase()];
      if (!identity) return false;
      identity.verified = true;
      save();
      return true;
    },
  };
}

export async function startSes(options: {
  port: number;
  mailboxPath: string;
  identitiesPath: string;
  ourDomain: string;
  /** This process's SDK calls reach it without a socket (local/in-process-http.ts). */
  inProcess?: boolean;
}): Promise<LocalSes> {
  const emails = store.getStoreReadonly().emails;
  emails.length = 0;
  if (existsSync(options.mailboxPath)) {
    for (const line of readFileSync(options.mailboxPath, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        emails.push(JSON.parse(line));
      } catch {
        // A line cut short by a crash mid-write: that email's send never completed.
      }
    }
  }
  store.saveEmail = (email) => {
    appendFileSync(options.mailboxPath, `${JSON.stringify(email)}\n`);
    originals.saveEmail(email);
  };
  store.clearStore = () => {
    writeFileSync(options.mailboxPath, '');
    originals.clearStore();
  };

  // Its default host is `::`; loopback only, like every local component.
  const server = await sesServer({ host: '127.0.0.1', port: options.port });
  const identities = identityService(options.identitiesPath, options.ourDomain);
  const [mailServer] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!identities.serve(req, res)) mailServer!(req, res);
  });
  stampResponsesWithClockDate(server);
  trackRequestsOf(server, 'SES');
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const answeredInProcess = options.inProcess ? answerInProcess(endpoint, server) : undefined;
  return {
    endpoint,
    publishDkimRecords: (domain) => identities.publish(domain),
    close: () =>
      new Promise<void>((resolve) => {
        answeredInProcess?.();
        Object.assign(store, originals);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
