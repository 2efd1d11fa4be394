import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { stampResponsesWithClockDate } from './activity.ts';

const require = createRequire(import.meta.url);
const sesServer = (
  require('aws-ses-v2-local') as { default: (config: { host: string; port: number }) => Promise<Server> }
).default;

export interface LocalSes {
  /** Also the mailbox page (GET /) and the store (GET /store) that tests read. */
  endpoint: string;
  close(): Promise<void>;
}

export async function startSes(options: { port: number }): Promise<LocalSes> {
  // Its default host is `::`; loopback only, like every local component.
  const server = await sesServer({ host: '127.0.0.1', port: options.port });
  stampResponsesWithClockDate(server);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
