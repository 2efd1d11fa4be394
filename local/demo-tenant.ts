import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { defaultSlaTerms } from '../domain/contract.ts';
import type { TenantSettings } from '../domain/tenant.ts';
import { mintApiKey } from '../functions/adapters/api-keys.ts';
import { createApiKey, createTenant, getTenant } from '../functions/adapters/tenants.ts';

export interface DemoTenant {
  tenantId: string;
  apiKey: string;
  managers: string[];
  webhookSecrets: { shopify: string; woocommerce: string; generic: string };
}

export const demoSettings: TenantSettings = {
  name: 'Demo Electronics Co., Ltd.',
  language: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  escalationLadder: {
    levels: [
      { name: 'Team lead', recipients: ['team-lead@demo.example'], delayMinutes: 0 },
      { name: 'Head of service', recipients: ['head-of-service@demo.example'], delayMinutes: 120 },
    ],
    approachingWarningFraction: 0.75,
  },
  defaultTerms: defaultSlaTerms,
  staff: [
    {
      staffId: 'agent-li',
      name: 'Li Na',
      email: 'li.na@demo.example',
      roles: ['agent'],
      skills: ['consultation'],
    },
    {
      staffId: 'tech-wang',
      name: 'Wang Wei',
      email: 'wang.wei@demo.example',
      roles: ['technician'],
      skills: ['repair', 'replacement', 'technical_support'],
    },
    {
      staffId: 'tech-zhao',
      name: 'Zhao Lei',
      email: 'zhao.lei@demo.example',
      roles: ['technician'],
      skills: ['returns', 'follow_up'],
    },
    {
      staffId: 'lead-chen',
      name: 'Chen Jing',
      email: 'team-lead@demo.example',
      roles: ['manager'],
      skills: [],
    },
    {
      staffId: 'head-zhou',
      name: 'Zhou Min',
      email: 'head-of-service@demo.example',
      roles: ['manager'],
      skills: [],
    },
  ],
  requiredSkills: {},
  storefronts: {},
  calendar: { weekendDays: [0, 6], chinaPublicHolidays: true, closures: [], extraWorkingDays: [] },
};

/**
 * On first start: the `demo` tenant with default terms, a two-level ladder, staff, an admin API
 * key and webhook secrets, written to `.local/demo-tenant.json` (the key is shown only once,
 * so that file is where it lives). Later starts read the file.
 */
export async function ensureDemoTenant(
  path: string,
  secretsFrom: () => DemoTenant['webhookSecrets'],
  at: Date,
): Promise<DemoTenant> {
  if (existsSync(path) && (await getTenant('demo')))
    return JSON.parse(readFileSync(path, 'utf8')) as DemoTenant;
  const webhookSecrets = secretsFrom();
  await createTenant({
    tenantId: 'demo',
    createdAt: at.toISOString(),
    ...demoSettings,
    storefronts: {
      shopify: { secret: webhookSecrets.shopify, topics: { 'returns/request': 'return' } },
      woocommerce: {
        secret: webhookSecrets.woocommerce,
        statuses: { refunded: 'return', 'return-requested': 'return' },
      },
      generic: { secret: webhookSecrets.generic },
    },
  });
  const { apiKey, stored } = mintApiKey('demo', 'admin', at, 'agent-li');
  await createApiKey(stored);
  const demo: DemoTenant = {
    tenantId: 'demo',
    apiKey,
    managers: demoSettings.escalationLadder.levels.flatMap((level) => level.recipients),
    webhookSecrets,
  };
  writeFileSync(path, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
