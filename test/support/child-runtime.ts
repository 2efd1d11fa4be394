import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { checkResponsesOf, type SentEmail, send } from './runtime.ts';

const repositoryRoot = resolve(import.meta.dirname, '../..');

/**
 * The local runtime as a user runs it, in its own process (`npm start`, or node directly):
 * for tests that kill it (SIGTERM, `kill -9`) and start it again on the same data directory.
 * Every port is free-chosen; the banner says which.
 */
export interface ChildRuntime {
  process: ChildProcess;
  urls: { api: string; ses: string; smtp: string };
  apiKey: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  advance(seconds: number): Promise<void>;
  mailbox(): Promise<SentEmail[]>;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string | null>;
  output(): string;
}

export async function startChildRuntime(options: {
  dataDir: string;
  /** Through `npm start` (as the README says), or node directly (faster; same runtime). */
  viaNpm?: boolean;
  startAt?: string;
  reconcileEverySeconds?: number;
}): Promise<ChildRuntime> {
  const args = [
    '--clock=virtual',
    `--data-dir=${options.dataDir}`,
    '--port=0',
    '--dynamodb-port=0',
    '--ses-port=0',
    '--sfn-port=0',
    '--shopify-port=0',
    '--sqs-port=0',
    '--cognito-port=0',
    '--scheduler-port=0',
    '--smtp-port=0',
    `--reconcile-every=${options.reconcileEverySeconds ?? 300}`,
    ...(options.startAt ? [`--start-at=${options.startAt}`] : []),
  ];
  const child = options.viaNpm
    ? spawn('npm', ['start', '--silent', '--', ...args], { cwd: repositoryRoot, stdio: 'pipe' })
    : spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', ...args], {
        cwd: repositoryRoot,
        stdio: 'pipe',
      });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string | null>((done) =>
    child.once('exit', (code, signal) => done(signal ?? code)),
  );

  const started = Date.now();
  while (!/Ctrl-C to stop/.test(output)) {
    if (child.exitCode !== null || Date.now() - started > 60_000)
      throw new Error(`the runtime did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const urls = {
    api: /HTTP API\s+(http:\/\/\S+)/.exec(output)![1]!,
    ses: /Mailbox \(SES\)\s+(http:\/\/\S+)/.exec(output)![1]!,
    smtp: /Inbound mail\s+(smtp:\/\/\S+)/.exec(output)![1]!,
  };
  const apiKey = /API key\s+(ak_\S+)/.exec(output)![1]!;
  await checkResponsesOf(urls.api);
  return {
    process: child,
    urls,
    apiKey,
    exited,
    output: () => output,
    async api(method, path, body, headers = {}) {
      const response = await send(`${urls.api}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      let parsed: unknown = response.text;
      try {
        parsed = JSON.parse(response.text);
      } catch {}
      return { status: response.status, body: parsed as any };
    },
    async advance(seconds) {
      const response = await send(`${urls.api}/_local/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds }),
      });
      if (response.status !== 200) throw new Error(`advance: ${response.status} ${response.text}`);
    },
    async mailbox() {
      const response = await send(`${urls.ses}/store`, { method: 'GET', headers: {} });
      return (JSON.parse(response.text) as { emails: SentEmail[] }).emails;
    },
  };
}

/** Whether anything still answers on a URL's port. */
export async function answers(url: string): Promise<boolean> {
  try {
    await send(`${url}/health`, { method: 'GET', headers: {} });
    return true;
  } catch {
    return false;
  }
}
