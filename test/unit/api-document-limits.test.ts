import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#functions/documents/document.ts';

/**
 * The limits the server enforces are stated in the document it serves, so that a client
 * generated from the document cannot send what the server refuses (an outside fuzzer found
 * each of these once: the document allowed it, the server answered 4xx).
 */
const document = openApiDocument('https://api.example.com') as any;
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);

function operation(operationId: string) {
  for (const methods of Object.values(document.paths as Record<string, Record<string, any>>))
    for (const candidate of Object.values(methods))
      if (candidate.operationId === operationId) return candidate;
  throw new Error(`no operation ${operationId}`);
}
const accepts = (schema: object, value: unknown) => ajv.validate(schema, value);
const queryParameter = (operationId: string, name: string) =>
  operation(operationId).parameters.find((p: any) => p.in === 'query' && p.name === name).schema;
const body = (operationId: string) => operation(operationId).requestBody.content['application/json'].schema;

describe('the document states what the server refuses', () => {
  it('limit: a whole number from 1 to 200', () => {
    const limit = queryParameter('listRequests', 'limit');
    for (const refused of ['0', '00', '201', '999', '-1', '1.5'])
      expect(accepts(limit, refused), refused).toBe(false);
    for (const allowed of ['1', '50', '199', '200']) expect(accepts(limit, allowed), allowed).toBe(true);
  });

  it('dates: 1970-01-01 to 2099-12-31', () => {
    for (const [operationId, name] of [
      ['listAccessTrail', 'date'],
      ['getCalendar', 'from'],
    ] as const) {
      const date = queryParameter(operationId, name);
      for (const refused of ['0001-01-01', '1969-12-31', '2100-01-01', '9999-12-31'])
        expect(accepts(date, refused), `${operationId} ${refused}`).toBe(false);
      for (const allowed of ['1970-01-01', '2026-12-07', '2099-12-31'])
        expect(accepts(date, allowed), `${operationId} ${allowed}`).toBe(true);
    }
  });

  it('settings: ladder recipients are addresses or staff ids; the time zone is an IANA zone', () => {
    const settings = body('changeSettings');
    const withRecipient = (recipient: string) => ({
      escalationLadder: { levels: [{ name: 'Lead', recipients: [recipient], delayMinutes: 0 }] },
    });
    expect(accepts(settings, withRecipient('lead@shop.example'))).toBe(true);
    expect(accepts(settings, withRecipient('wang-lei_2'))).toBe(true);
    expect(accepts(settings, withRecipient('not an address'))).toBe(false);
    expect(accepts(settings, withRecipient('a@'))).toBe(false);
    expect(accepts(settings, { timeZone: 'Asia/Shanghai' })).toBe(true);
    expect(accepts(settings, { timeZone: 'UTC' })).toBe(true);
    expect(accepts(settings, { timeZone: 'Mars/Olympus_Mons' })).toBe(false);
  });

  it("a contract version's customer confirmation needs its evidence", () => {
    const confirmation = body('confirmContractVersion');
    expect(accepts(confirmation, { party: 'provider' })).toBe(true);
    expect(accepts(confirmation, { party: 'customer', evidence: 'signed copy HT-2026-018' })).toBe(true);
    expect(accepts(confirmation, { party: 'customer' })).toBe(false);
    expect(accepts(confirmation, { party: 'customer', evidence: '' })).toBe(false);
  });
});
