import * as z from './zod.ts';

/**
 * Who the tenant's emails come from. Customers answer the merchant, not us: every email carries
 * the tenant's name, goes from the tenant's own domain once SES has verified it (DKIM, so the
 * mail passes DMARC for that domain), and otherwise from ours with the tenant's Reply-To.
 */
export const emailSettingsSchema = z.object({
  /** The name shown as the sender; the tenant's name when not set. */
  fromName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  /** Where customers' and staff's replies go (a mailbox the tenant reads). */
  replyTo: z.optional(z.string().check(z.trim(), z.email())),
});
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

/** A domain the tenant sends from: lower case, at least two labels, no scheme or path. */
export const sendingDomainSchema = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.maxLength(253),
  z.regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'a domain name the tenant controls, e.g. mail.example.com',
  }),
);

export interface DnsRecord {
  type: 'CNAME';
  name: string;
  value: string;
}

/** A tenant's own sending domain and how far SES has verified it. */
export interface SendingDomain {
  domain: string;
  /** `pending` until SES finds the DNS records, `failed` if it gave up (72 hours), then `verified`. */
  status: 'pending' | 'verified' | 'failed';
  /** The records the tenant publishes so SES can sign its mail (Easy DKIM). */
  dnsRecords: DnsRecord[];
  requestedAt: string;
  verifiedAt?: string;
}

/** The DKIM records SES asks for: one CNAME per token SES issued for the domain. */
export const dkimRecords = (domain: string, tokens: readonly string[]): DnsRecord[] =>
  tokens.map((token) => ({
    type: 'CNAME',
    name: `${token}._domainkey.${domain}`,
    value: `${token}.dkim.amazonses.com`,
  }));

/**
 * A mailbox as RFC 5322 writes it: an ASCII name quoted (a comma in "Co., Ltd." would otherwise
 * split the address list), any other name as an RFC 2047 encoded word, as SES requires.
 */
export function mailbox(displayName: string, address: string): string {
  const name = displayName.replace(/[\r\n]+/g, ' ').trim();
  if (!name) return address;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${address}>`;
}

export interface EmailSender {
  from: string;
  replyTo?: string[];
}

/** The From and Reply-To of a tenant's email, from its settings and its verified domain. */
export function emailSender(input: {
  tenantName: string;
  email?: EmailSettings;
  sendingDomain?: Pick<SendingDomain, 'domain' | 'status'>;
  /** Our own address (service@ our domain): its local part is kept on the tenant's domain. */
  defaultFrom: string;
}): EmailSender {
  const [localPart, ourDomain] = input.defaultFrom.split('@') as [string, string];
  const domain = input.sendingDomain?.status === 'verified' ? input.sendingDomain.domain : ourDomain;
  return {
    from: mailbox(input.email?.fromName ?? input.tenantName, `${localPart}@${domain}`),
    ...(input.email?.replyTo ? { replyTo: [input.email.replyTo] } : {}),
  };
}
