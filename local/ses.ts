import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { stampResponsesWithClockDate } from './activity.ts';

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
  close(): Promise<void>;
}

/**
 * The local SES. Its mailbox is kept in a file under the data directory as well as in memory,
 * so it holds every email the system ever sent, across restarts (and crashes: one line is
 * appended, synchronously, as each email is accepted).
 */
export async function startSes(options: { port: number; mailboxPath: string }): Promise<LocalSes> {
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
  stampResponsesWithClockDate(server);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        Object.assign(store, originals);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
