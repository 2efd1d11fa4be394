import { existsSync, readFileSync, rmSync } from 'node:fs';
import { type FaultRow, REPORT_PATH } from './support.ts';

/** Starts the fault report afresh, and prints it once every fault test has run. */
export function setup() {
  rmSync(REPORT_PATH, { force: true });
}

/** Emails that arrived: each due one once, less the lost, and every duplicate. */
const sent = (r: FaultRow) => r.emailsDue - r.emailsLost + r.duplicates;
const total = (rows: FaultRow[], of: (r: FaultRow) => number) => rows.reduce((n, r) => n + of(r), 0);

export function teardown() {
  if (!existsSync(REPORT_PATH)) return;
  const rows = readFileSync(REPORT_PATH, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FaultRow);
  const lines = [
    '',
    'Fault report',
    '| fault | survived | emails due | sent | late (> 5 min) | missing | duplicated | cases opened late | notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.survived ? 'yes' : 'NO'} | ${r.emailsDue} | ${sent(r)} | ${r.emailsLate ?? 0} | ${r.emailsLost} | ${r.duplicates} | ${r.casesOpenedLate ?? 0} | ${r.notes ?? ''} |`,
    ),
    `| **${rows.length} faults** | **${rows.filter((r) => r.survived).length} survived** | ${total(rows, (r) => r.emailsDue)} | ${total(rows, sent)} | ${total(rows, (r) => r.emailsLate ?? 0)} | ${total(rows, (r) => r.emailsLost)} | ${total(rows, (r) => r.duplicates)} | ${total(rows, (r) => r.casesOpenedLate ?? 0)} | |`,
    '',
  ];
  console.log(lines.join('\n'));
}
