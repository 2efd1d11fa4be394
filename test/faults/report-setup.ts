import { existsSync, readFileSync, rmSync } from 'node:fs';
import { type FaultRow, REPORT_PATH } from './support.ts';

/** Starts the fault report afresh, and prints it once every fault test has run. */
export function setup() {
  rmSync(REPORT_PATH, { force: true });
}

export function teardown() {
  if (!existsSync(REPORT_PATH)) return;
  const rows = readFileSync(REPORT_PATH, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FaultRow);
  const lines = [
    '',
    'Fault report',
    '| fault | survived | emails due | lost | duplicates | notes |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.survived ? 'yes' : 'NO'} | ${r.emailsDue} | ${r.emailsLost} | ${r.duplicates} | ${r.notes ?? ''} |`,
    ),
    `| **${rows.length} faults** | **${rows.filter((r) => r.survived).length} survived** | ${rows.reduce((n, r) => n + r.emailsDue, 0)} | ${rows.reduce((n, r) => n + r.emailsLost, 0)} | ${rows.reduce((n, r) => n + r.duplicates, 0)} | |`,
    '',
  ];
  console.log(lines.join('\n'));
}
