import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { defaultSlaTerms } from '#domain/contract.ts';
import { recipientAddresses } from '#domain/escalation-ladder.ts';
import { DEFAULT_WOO_STATUSES, type TenantSettings } from '#domain/tenant.ts';
import { mintApiKey } from '#functions/adapters/api-keys.ts';
import { createStaffLogin } from '#functions/adapters/staff-directory.ts';
import { sealStorefrontSecrets } from '#functions/adapters/storefront-secrets.ts';
import { createApiKey, createTenant, getTenant, saveTenantSettings } from '#functions/adapters/tenants.ts';
import { DEMO_SHOP_DOMAIN } from './shopify-demo-shop.ts';

export interface DemoTenant {
  tenantId: string;
  apiKey: string;
  managers: string[];
  webhookSecrets: { shopify: string; woocommerce: string; generic: string };
  /** The demo shop's Admin API token (the local Shopify stand-in accepts it). */
  shopifyAdminToken: string;
  shopDomain: string;
  /** Where staff sign in (the Cognito stand-in) and the console's app client, for scripts. */
  staffSignIn: { endpoint: string; userPoolId: string; clientId: string };
  /** One sign-in per kind of staff member, made on the first start. */
  staffLogins: { staffId: string; name: string; role: string; email: string; password: string }[];
}

/** The demo staff who get a sign-in: an agent, a technician, a manager and an admin. */
const DEMO_LOGINS = ['agent-li', 'tech-wang', 'lead-chen', 'admin-sun'];

/** A password Cognito's default policy takes: upper and lower case, digits and a symbol. */
const demoPassword = () => `Demo-${randomBytes(6).toString('base64url')}-9a`;

/** Gives the demo staff their sign-ins (once: a later start keeps them and their passwords). */
async function demoStaffLogins(
  known: DemoTenant['staffLogins'] | undefined,
): Promise<DemoTenant['staffLogins']> {
  const logins: DemoTenant['staffLogins'] = [];
  for (const staffId of DEMO_LOGINS) {
    const staff = demoSettings.staff.find((s) => s.staffId === staffId)!;
    const login = known?.find((l) => l.staffId === staffId);
    if (login) {
      // Made on an earlier start: the stand-in keeps its users with the rest of the data.
      logins.push(login);
      continue;
    }
    const made = {
      staffId,
      name: staff.name,
      role: staff.roles[0]!,
      email: staff.email,
      password: demoPassword(),
    };
    await createStaffLogin('demo', staff, { permanent: made.password });
    logins.push(made);
  }
  return logins;
}

export const demoSettings: TenantSettings = {
  name: 'Demo Electronics Co., Ltd.',
  language: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  escalationLadder: {
    levels: [
      // A level names staff (by id: their address as the staff list has it) or any address.
      { name: 'Team lead', recipients: ['lead-chen'], delayMinutes: 0 },
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
    {
      staffId: 'admin-sun',
      name: 'Sun Li',
      email: 'admin@demo.example',
      roles: ['admin'],
      skills: [],
    },
  ],
  requiredSkills: {},
  storefronts: {},
  email: { replyTo: 'service-desk@demo.example' },
  calendar: { weekendDays: [0, 6], chinaPublicHolidays: true, closures: [], extraWorkingDays: [] },
};

/** The demo tenant's storefront connections, secrets sealed as the tenant API seals them. */
async function demoStorefronts(secrets: DemoTenant['webhookSecrets'], shopifyAdminToken: string) {
  return sealStorefrontSecrets('demo', {
    shopify: {
      shopDomain: DEMO_SHOP_DOMAIN,
      secret: secrets.shopify,
      adminAccessToken: shopifyAdminToken,
      returnKind: 'return',
    },
    woocommerce: { secret: secrets.woocommerce, statuses: DEFAULT_WOO_STATUSES },
    generic: { secret: secrets.generic },
  });
}

/**
 * On first start: the `demo` tenant with default terms, a two-level ladder, staff, an admin API
 * key, webhook secrets and its Shopify shop connected, written to `.local/demo-tenant.json` (the
 * key is shown only once, so that file is where it lives). Later starts read the file, and bring
 * a demo tenant made by an older version up to date (its Shopify connection).
 */
export async function ensureDemoTenant(
  path: string,
  secretsFrom: () => DemoTenant['webhookSecrets'],
  shopifyAdminToken: string,
  at: Date,
  staffSignIn: DemoTenant['staffSignIn'],
): Promise<DemoTenant> {
  const stored = existsSync(path) ? await getTenant('demo', { consistent: true }) : undefined;
  if (stored) {
    const previous = JSON.parse(readFileSync(path, 'utf8')) as DemoTenant;
    const { tenantId: _id, createdAt: _at, settingsVersion: _v, ...settings } = stored;
    // A demo tenant made by an older version: its Shopify connection, its admin on staff.
    const missingStaff = demoSettings.staff.filter((s) => !stored.staff.some((t) => t.staffId === s.staffId));
    if (stored.storefronts.shopify?.shopDomain !== DEMO_SHOP_DOMAIN || missingStaff.length > 0)
      await saveTenantSettings(stored, {
        ...settings,
        staff: [...stored.staff, ...missingStaff],
        storefronts: await demoStorefronts(previous.webhookSecrets, shopifyAdminToken),
      });
    const demo: DemoTenant = {
      ...previous,
      shopifyAdminToken,
      shopDomain: DEMO_SHOP_DOMAIN,
      staffSignIn,
      staffLogins: await demoStaffLogins(previous.staffLogins),
    };
    writeFileSync(path, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
    return demo;
  }
  const webhookSecrets = secretsFrom();
  await createTenant({
    tenantId: 'demo',
    createdAt: at.toISOString(),
    ...demoSettings,
    storefronts: await demoStorefronts(webhookSecrets, shopifyAdminToken),
  });
  const { apiKey, stored: storedKey } = mintApiKey('demo', 'admin', at, 'agent-li');
  await createApiKey(storedKey);
  const demo: DemoTenant = {
    tenantId: 'demo',
    apiKey,
    managers: demoSettings.escalationLadder.levels.flatMap((level) =>
      recipientAddresses(level.recipients, demoSettings.staff),
    ),
    webhookSecrets,
    shopifyAdminToken,
    shopDomain: DEMO_SHOP_DOMAIN,
    staffSignIn,
    staffLogins: await demoStaffLogins(undefined),
  };
  writeFileSync(path, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
