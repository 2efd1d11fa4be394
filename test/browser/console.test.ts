import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoTenant } from '#local/demo-tenant.ts';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { type ChildRuntime, startChildRuntime } from '../support/child-runtime.ts';
import { send } from '../support/runtime.ts';
import { CHROMIUM } from './ensure-chromium.ts';

/**
 * The staff console (#15) in Chromium, as a tenant's people use it: against the local runtime on a
 * virtual clock (in its own process, so the browser's timers stay real), signed in through the
 * Cognito stand-in as each demo role. Each page's screenshot is saved under test-artifacts/console/.
 */
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/console');
let dataDir: string;
let runtime: ChildRuntime;
let demo: DemoTenant;
let browser: Browser;
let breachedId: string;
let onTimeId: string;

const consoleUrl = (path = '') => `${runtime.urls.api}/console/${path}`;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'aftersales-console-'));
  runtime = await startChildRuntime({ dataDir, startAt: '2026-03-02T01:00:00.000Z' });
  demo = JSON.parse(readFileSync(join(dataDir, 'demo-tenant.json'), 'utf8')) as DemoTenant;
  // One request misses its 2-hour response; one is acknowledged on time; one waits, not yet due.
  breachedId = (await runtime.api('POST', '/v1/requests', repairRequest({ orderReference: '#1001' }))).body
    .requestId;
  await runtime.advance(3 * 3600);
  onTimeId = (await runtime.api('POST', '/v1/requests', repairRequest({ orderReference: '#1002' }))).body
    .requestId;
  expect((await runtime.api('POST', `/v1/requests/${onTimeId}/acknowledge`)).status).toBe(200);
  await runtime.api('POST', '/v1/requests', repairRequest({ orderReference: '#1003' }));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  runtime?.process.kill('SIGTERM');
  await runtime?.exited;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core finds against WCAG 2.1 A and AA on the page as shown. */
async function wcagViolations(page: Page): Promise<{ rule: string; where: string[] }[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  })`)) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => ({ rule: v.id, where: v.nodes.map((n) => n.target.join(' ')) }));
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A fresh browser session signed in as a demo staff member, on the worklist. */
async function signedInAs(staffId: string, options: { timezoneId?: string } = {}): Promise<Page> {
  const login = demo.staffLogins.find((l) => l.staffId === staffId)!;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', ...options });
  await page.goto(consoleUrl());
  await page.getByLabel(/Email/).fill(login.email);
  await page.getByLabel(/^密码/).fill(login.password);
  await page.getByRole('button', { name: /Sign in/ }).click();
  await page.getByRole('heading', { level: 1, name: /未结请求/ }).waitFor();
  return page;
}

const navLinks = async (page: Page) =>
  (await page.locator('header.top nav').getByRole('link').allTextContents()).map((t) => t.trim());

describe('staff console', () => {
  it('signs each role in, and shows each only what its role may do', async () => {
    const signInPage = await browser.newPage();
    await signInPage.goto(consoleUrl());
    expect(await wcagViolations(signInPage)).toEqual([]);
    await shoot(signInPage, 'sign-in');
    // A wrong password is refused in place, by Cognito's own words.
    await signInPage.getByLabel(/Email/).fill('li.na@demo.example');
    await signInPage.getByLabel(/^密码/).fill('not-the-password');
    await signInPage.getByRole('button', { name: /Sign in/ }).click();
    await expect(signInPage.getByRole('alert').textContent()).resolves.toMatch(
      /NotAuthorized|InvalidPassword/,
    );
    await signInPage.close();

    const expected: Record<string, string[]> = {
      'agent-li': ['工作台', '意见反馈', '工作日历', '待处理邮件'],
      'tech-wang': ['工作台', '意见反馈', '工作日历', '待处理邮件'],
      'lead-chen': ['工作台', '意见反馈', '工作日历', '待处理邮件', '报表'],
      'admin-sun': ['工作台', '意见反馈', '工作日历', '待处理邮件', '报表', '设置'],
    };
    for (const [staffId, links] of Object.entries(expected)) {
      const page = await signedInAs(staffId);
      expect(await navLinks(page)).toEqual(links);
      const login = demo.staffLogins.find((l) => l.staffId === staffId)!;
      await expect(page.locator('.who').textContent()).resolves.toContain(login.name);
      await page.close();
    }
    // An agent who types the settings address gets no settings, and the API refuses them too.
    const agent = await signedInAs('agent-li');
    await agent.goto(consoleUrl('settings'));
    await expect(agent.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('未找到');
    expect(await agent.getByText('升级链').count()).toBe(0);
    const status = await agent.evaluate(async () => {
      const token = JSON.parse(sessionStorage.getItem('aftersales.session')!).idToken;
      return (await fetch('/v1/settings', { headers: { authorization: `Bearer ${token}` } })).status;
    });
    expect(status).toBe(403);
    await agent.close();
  });

  it('puts the breached request first with its countdown, and acknowledging it from its page changes the timeline', async () => {
    const page = await signedInAs('lead-chen');
    const rows = page.locator('table.worklist tbody tr');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(3);
    const first = rows.first();
    expect(await first.getAttribute('data-request-id')).toBe(breachedId);
    await expect(first.locator('.countdown').textContent()).resolves.toMatch(/^已超时 1小时0\d分$/);
    await expect(first.locator('.badge.breach').textContent()).resolves.toBe('响应超时');
    // The one not yet answered counts down to its 2-hour response (the virtual clock stands still);
    // the acknowledged one, to its completion.
    await expect(rows.nth(1).locator('.countdown').textContent()).resolves.toMatch(
      /^剩余 (2小时00分|1小时59分)$/,
    );
    expect(await rows.nth(2).getAttribute('data-request-id')).toBe(onTimeId);
    await expect(rows.nth(2).locator('.countdown').textContent()).resolves.toMatch(/^剩余 2天2\d小时$/);
    // Filters and search narrow it, on the server, and stay in the address.
    await page.getByLabel('搜索客户、邮箱、订单或请求编号').fill('#1002');
    await expect.poll(() => rows.count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('#1002');
    await page.getByLabel('搜索客户、邮箱、订单或请求编号').fill('');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByLabel('状态').selectOption('acknowledged');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-request-id')).toBe(onTimeId);
    // Kept across a reload.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByLabel('状态').inputValue()).toBe('acknowledged');
    await page.getByLabel('状态').selectOption('');
    await expect.poll(() => rows.count()).toBe(3);
    // The views, counted by the server: one breached (its response), none assigned.
    const views = page.getByRole('navigation', { name: '视图' });
    await expect.poll(() => views.getByRole('link', { name: /已超时/ }).textContent()).toBe('已超时 1');
    await views.getByRole('link', { name: /已超时/ }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-request-id')).toBe(breachedId);
    await views.getByRole('link', { name: /全部未结/ }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await wcagViolations(page)).toEqual([]);
    await shoot(page, 'worklist');

    await first.getByRole('link', { name: breachedId }).click();
    await page.getByRole('heading', { level: 2, name: '处理记录' }).waitFor();
    // Moved within the app: the keyboard starts at the new page's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const timeline = page.locator('ol.timeline li');
    const before = await timeline.count();
    await expect(page.locator('.breaches').textContent()).resolves.toContain('响应');
    expect(await wcagViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认响应' }).click();
    await page.locator('ol.timeline li[data-event="acknowledged"]').waitFor();
    expect(await timeline.count()).toBeGreaterThan(before);
    await expect(page.locator('ol.timeline li[data-event="acknowledged"]').textContent()).resolves.toContain(
      'Chen Jing',
    );
    // Assigned to a colleague who can do it (a technician without the skill is not offered).
    const assign = page.getByRole('form', { name: '分配' });
    expect(await assign.getByLabel('同事').locator('option').allTextContents()).not.toContainEqual(
      expect.stringContaining('Zhao Lei'),
    );
    await assign.getByLabel('同事').selectOption('tech-wang');
    await assign.getByRole('button', { name: '分配' }).click();
    await page.locator('ol.timeline li[data-event="assigned"]').waitFor();
    // Taking it over from him is asked first, then makes it the manager's own (escalations follow her).
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: '由我接手' }).click();
    await page.locator('ol.timeline li[data-event="taken_over"]').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await shoot(page, 'request');

    const stored = (await runtime.api('GET', `/v1/requests/${breachedId}`)).body;
    expect(stored).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'lead-chen',
      assigneeId: 'lead-chen',
    });
    await page.close();
  });

  it('shows the API’s refusal where the action was taken', async () => {
    const page = await signedInAs('agent-li');
    await page.goto(consoleUrl(`requests/${onTimeId}`));
    // Only technicians qualified for a repair are offered for dispatch.
    const dispatch = page.getByRole('form', { name: '派工' });
    await dispatch.waitFor();
    expect(await dispatch.getByLabel('技术人员').locator('option').allTextContents()).toEqual([
      '—',
      expect.stringContaining('Wang Wei'),
    ]);
    // Completing before any dispatch: the API's rule, in its words, on the page.
    const complete = page.getByRole('form', { name: '填写服务记录并完成' });
    await complete.getByLabel('服务内容').fill('更换排水泵');
    await complete.getByLabel('开始时间').fill('2026-03-02T12:00');
    await complete.getByLabel('结束时间').fill('2026-03-02T11:00');
    await complete.getByRole('button').click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^4\d\d /);
    await page.close();
  });

  it('draws the reports from the service’s own figures, and every page passes WCAG 2.1 AA', async () => {
    const page = await signedInAs('admin-sun');
    await page.goto(consoleUrl('reports'));
    await page.locator('.chart-canvas svg').first().waitFor();
    const report = (await runtime.api('GET', '/v1/reports/satisfaction?from=2025-04-01&to=2026-03-02')).body;
    const march = report.promises.find((p: { period: string }) => p.period === '2026-03');
    // Two answered (one late, one on time), one not yet due; one response breach, recorded by the lifecycle.
    expect(march).toMatchObject({
      responseOnTime: 1,
      responseLate: 1,
      responseOnTimePercent: 50,
      responseBreaches: 1,
    });
    const chartData = async (title: string) => {
      const canvas = page.locator('figure.chart', { hasText: title }).locator('.chart-canvas');
      return {
        periods: JSON.parse((await canvas.getAttribute('data-periods'))!),
        series: JSON.parse((await canvas.getAttribute('data-series'))!),
      };
    };
    const response = '响应';
    const breaches = await chartData('每月违约');
    expect(breaches.periods).toContain('2026-03');
    expect(breaches.series[response][breaches.periods.indexOf('2026-03')]).toBe(1);
    const onTime = await chartData('按时率');
    expect(onTime.series[response][onTime.periods.indexOf('2026-03')]).toBe(50);
    expect(await page.locator('.chart-canvas svg').count()).toBe(4);
    // The promises' CSV, downloaded as the signed-in admin.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载 CSV: 期限/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^promises-\d{4}-\d{2}-\d{2}-2026-03-02\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toMatch(/^period,requestsReceived,/);
    expect(csv).toContain('2026-03,3,1,1,0,50,');
    expect(await wcagViolations(page)).toEqual([]);
    await shoot(page, 'reports');

    for (const [path, name] of [
      ['feedback', 'feedback'],
      ['calendar', 'calendar'],
      ['settings', 'settings'],
    ] as const) {
      await page.goto(consoleUrl(path));
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await wcagViolations(page), path).toEqual([]);
      await shoot(page, name);
    }
    // The calendar counts the month as deadlines do: March 2026 has no holiday, its weekends rest.
    await page.goto(consoleUrl('calendar'));
    await page.locator('[data-date="2026-03-07"]').waitFor();
    expect(await page.locator('[data-date="2026-03-07"]').getAttribute('data-kind')).toBe('weekend');
    expect(await page.locator('[data-date="2026-03-09"]').getAttribute('data-kind')).toBe('working_day');

    // English on request, the tenant's time zone kept.
    await page.getByLabel(/语言|Language/).selectOption('en');
    await expect(page.locator('header.top nav').getByRole('link').first().textContent()).resolves.toBe(
      'Worklist',
    );
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await wcagViolations(page)).toEqual([]);
    await page.close();
  });

  it('lets an admin invite a colleague from Settings, who sets their own password at the first sign-in', async () => {
    const admin = await signedInAs('admin-sun');
    await admin.goto(consoleUrl('settings'));
    const invite = admin.getByRole('form', { name: '邀请' });
    await invite.getByLabel('ID').fill('agent-qian');
    await invite.getByLabel('姓名').fill('Qian Hui');
    await invite.getByLabel('电子邮箱').fill('qian.hui@demo.example');
    await invite.getByLabel('技能').fill('consultation, returns');
    await invite.getByRole('button', { name: '邀请' }).click();
    await admin.getByRole('cell', { name: /Qian Hui/ }).waitFor();
    // Her skills, changed in place: the API keeps what the page saved.
    const skills = admin.getByLabel('技能: Qian Hui');
    expect(await skills.inputValue()).toBe('consultation, returns');
    await skills.fill('consultation, returns, repair');
    await admin.locator('form.inline', { has: skills }).getByRole('button', { name: '保存' }).click();
    await admin.locator('form.inline', { has: skills }).getByRole('button').waitFor({ state: 'detached' });
    const staff = (await runtime.api('GET', '/v1/settings')).body.staff;
    expect(staff.find((s: { staffId: string }) => s.staffId === 'agent-qian').skills).toEqual([
      'consultation',
      'returns',
      'repair',
    ]);
    await admin.close();

    const invitation = (await runtime.mailbox()).find((m) =>
      m.destination.to.includes('qian.hui@demo.example'),
    );
    expect(invitation?.body.text).toContain(consoleUrl());
    const temporary = /(?:临时密码|Temporary password)\W+(\S+)/.exec(invitation!.body.text ?? '')![1]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(consoleUrl());
    await page.getByLabel(/Email/).fill('qian.hui@demo.example');
    await page.getByLabel(/^密码/).fill(temporary);
    await page.getByRole('button', { name: /Sign in/ }).click();
    // The pool's rules, shown and checked before Cognito is asked.
    await page.getByLabel(/^新密码/).fill('short1A!');
    await expect(page.locator('.password-rules li[data-met="false"]').allTextContents()).resolves.toEqual([
      expect.stringContaining('至少 12 个字符'),
    ]);
    await page.getByRole('button', { name: /Set password/ }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('密码尚未满足全部要求');
    await page.getByLabel(/^新密码/).fill('Their-own-Passw0rd');
    expect(await wcagViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /Set password/ }).click();
    await page.getByRole('heading', { level: 1, name: /未结请求/ }).waitFor();
    await expect(page.locator('.who').textContent()).resolves.toContain('Qian Hui');
    await page.close();
  });

  it('talks to the customer from the request: a reply by email, a note inside, their answer back on the page, held mail put where it belongs', async () => {
    const requestId = (await runtime.api('POST', '/v1/requests', repairRequest({ orderReference: '#1004' })))
      .body.requestId as string;
    const page = await signedInAs('agent-li');
    await page.goto(consoleUrl(`requests/${requestId}`));
    const conversation = page.locator('section.conversation');
    await conversation.getByText('还没有消息。').waitFor();

    // A reply: emailed to the customer with a Reply-To that leads back to this request.
    await page.getByRole('textbox', { name: '回复客户' }).fill('您好，请发一张铭牌的照片。');
    await page.getByRole('button', { name: '发送' }).click();
    await conversation.locator('li[data-kind="reply"]', { hasText: '请发一张铭牌的照片' }).waitFor();
    const sent = (await runtime.mailbox()).find(
      (m) =>
        m.body.text?.includes('请发一张铭牌的照片') &&
        m.destination.to.includes(repairRequest().customer.email),
    );
    expect(sent?.replyTo?.[0]).toMatch(/^reply\+[A-Za-z0-9_-]+@/);

    // A note mentioning a colleague: shown inside, never emailed to the customer.
    await page.getByRole('textbox', { name: '添加内部备注' }).fill('@lead-chen 客户是老客户，优先处理。');
    // Kept across a reload before it is saved (a session that ends keeps it too).
    await page.reload();
    await expect(page.getByRole('textbox', { name: '添加内部备注' }).inputValue()).resolves.toBe(
      '@lead-chen 客户是老客户，优先处理。',
    );
    await page.getByRole('button', { name: '保存备注' }).click();
    await conversation.locator('li[data-kind="note"]', { hasText: '优先处理' }).waitFor();
    await expect(page.getByRole('textbox', { name: '添加内部备注' }).inputValue()).resolves.toBe('');
    expect(
      (await runtime.mailbox()).filter(
        (m) => m.body.text?.includes('优先处理') && m.destination.to.includes(repairRequest().customer.email),
      ),
    ).toEqual([]);

    // The customer answers from their mail client: the answer is on the page.
    const smtp = new URL(runtime.urls.smtp);
    const transport = nodemailer.createTransport({
      host: smtp.hostname,
      port: Number(smtp.port),
      secure: false,
      ignoreTLS: true,
    });
    try {
      await transport.sendMail({
        from: repairRequest().customer.email,
        to: sent!.replyTo![0],
        subject: 'Re: 铭牌照片',
        text: '照片在附件里。\n\n在 2026年3月2日，商户写道：\n> 您好，请发一张铭牌的照片。',
      });
      // One from an address no request knows: held for staff.
      await transport.sendMail({
        from: 'someone.else@customer.example',
        to: sent!.replyTo![0],
        subject: 'Re: 铭牌照片',
        text: '这是我家的热水器，序列号 SN-4471。',
      });
    } finally {
      transport.close();
    }
    // Taken in by the receiving Lambda (SES on AWS), then shown on the next read.
    const customerWrote = async () =>
      (await runtime.api('GET', `/v1/requests/${requestId}/conversation`)).body.messages.filter(
        (m: { kind: string }) => m.kind === 'customer',
      ).length;
    for (let tries = 0; (await customerWrote()) === 0 && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(
      runtime.api('GET', '/v1/held-mail').then((r) => r.body.items.length),
    ).resolves.toBeGreaterThan(0);
    await page.reload();
    await conversation.locator('li[data-kind="customer"]', { hasText: '照片在附件里。' }).waitFor();
    await expect(
      conversation.locator('li[data-kind="customer"] summary').first().textContent(),
    ).resolves.toBe('引用的往来邮件');
    expect(await wcagViolations(page)).toEqual([]);
    await shoot(page, 'conversation');

    // Held mail: read, then put on the request it names.
    await page.locator('header.top nav').getByRole('link', { name: '待处理邮件' }).click();
    const held = page.locator('li.message', { hasText: 'SN-4471' });
    await held.waitFor();
    await expect(held.textContent()).resolves.toContain('发件地址不是该请求已知的地址');
    expect(await held.getByRole('textbox', { name: '归入请求或工单', exact: true }).inputValue()).toBe(
      requestId,
    );
    expect(await wcagViolations(page)).toEqual([]);
    await shoot(page, 'held-mail');
    await held.getByRole('button', { name: '归入' }).click();
    await held.waitFor({ state: 'detached' });
    await page.goto(consoleUrl(`requests/${requestId}`));
    await conversation.locator('li[data-kind="customer"]', { hasText: 'SN-4471' }).waitFor();
    await page.close();
  });

  it('reads times typed in the tenant’s zone, wherever the browser is (a technician in London)', async () => {
    const requestId = (await runtime.api('POST', '/v1/requests', repairRequest({ orderReference: '#1005' })))
      .body.requestId as string;
    expect((await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`)).status).toBe(200);
    const page = await signedInAs('agent-li', { timezoneId: 'Europe/London' });
    await page.goto(consoleUrl(`requests/${requestId}`));
    const dispatch = page.getByRole('form', { name: '派工' });
    await dispatch.getByLabel('技术人员').selectOption('tech-wang');
    // Labelled with the zone the page shows, and read in it: 10:00 in Shanghai is 02:00 UTC.
    await dispatch.getByLabel('预约时间 (Asia/Shanghai)').fill('2026-03-03T10:00');
    await dispatch.getByRole('button').click();
    await page.locator('ol.timeline li[data-event="dispatched"]').waitFor();
    const stored = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(stored.dispatch.scheduledFor).toBe('2026-03-03T02:00:00.000Z');
    await page.close();
  });

  it('asks before cancelling, keeps a typed reason across a reload, and comes back by itself after an outage', async () => {
    const requestId = (await runtime.api('POST', '/v1/requests', repairRequest({ orderReference: '#1006' })))
      .body.requestId as string;
    const page = await signedInAs('lead-chen');
    await page.goto(consoleUrl(`requests/${requestId}`));
    const cancel = page.getByRole('form', { name: '取消请求' });
    await cancel.getByLabel('原因').fill('客户已自行解决');
    // The reason survives a reload (and a session that ends while it is typed).
    await page.reload();
    await expect(cancel.getByLabel('原因').inputValue()).resolves.toBe('客户已自行解决');
    // Declined at the question: nothing happens.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await cancel.getByRole('button').click();
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('received');
    // Confirmed: cancelled, and the draft is gone.
    page.once('dialog', (dialog) => void dialog.accept());
    await cancel.getByRole('button').click();
    await page.locator('ol.timeline li[data-event="cancelled"]').waitFor();
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.cancelReason).toBe('客户已自行解决');

    // The API answering 503 while the console loads (what it answers while DynamoDB is down:
    // test/faults): a header, the refusal in words, a retry; back by itself once it answers.
    const down = async (route: Route) =>
      route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '30' },
        body: JSON.stringify({
          error: {
            code: 'ServiceUnavailable',
            message: 'A service this depends on is busy or down: try again',
          },
        }),
      });
    await page.route('**/v1/me', down);
    // The page's timers on a clock the test moves: its retry in 10 s is not waited for.
    await page.clock.install();
    await page.goto(consoleUrl());
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('503 服务暂时不可用');
    await page.getByRole('button', { name: '退出' }).waitFor();
    await page.getByRole('button', { name: '重试' }).waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await page.unroute('**/v1/me', down);
    await page.clock.runFor(11_000);
    await page.getByRole('heading', { level: 1, name: /未结请求/ }).waitFor();
    await page.close();
  });

  it('fits a phone (390 px): every page without sideways scrolling, every button on screen', async () => {
    const complaint = await runtime.api('POST', '/v1/feedback', {
      category: 'complaint',
      customer: { name: 'Qian Bo', email: 'qian.bo@customer.example' },
      content: '技术人员迟到了两个小时，也没有提前打电话。',
    });
    expect(complaint.status).toBe(201);
    const login = demo.staffLogins.find((l) => l.staffId === 'lead-chen')!;
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
    });
    await page.goto(consoleUrl());
    await page.getByLabel(/Email/).fill(login.email);
    await page.getByLabel(/^密码/).fill(login.password);
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.locator('table.worklist tbody tr[data-request-id]').first().waitFor();
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await sideways()).toBeLessThanOrEqual(0);
    await shoot(page, 'phone-worklist');
    await page.locator('table.worklist tbody tr[data-request-id] a').first().click();
    await page.getByRole('heading', { level: 2, name: '处理记录' }).waitFor();
    expect(await sideways()).toBeLessThanOrEqual(0);
    for (const path of ['feedback', 'held-mail', 'calendar']) {
      await page.goto(consoleUrl(path));
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await sideways(), path).toBeLessThanOrEqual(0);
    }
    // The complaint's Resolve button is on screen, not past its edge.
    await page.goto(consoleUrl('feedback'));
    const resolve = page.getByRole('button', { name: '处理完毕并告知客户' }).first();
    await resolve.waitFor();
    const box = (await resolve.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await wcagViolations(page)).toEqual([]);
    await shoot(page, 'phone-feedback');
    await page.close();
  });

  it('enters a request and a complaint taken by phone', async () => {
    const page = await signedInAs('agent-li');
    await page.getByRole('link', { name: '+ 录入请求' }).click();
    const form = page.getByRole('form', { name: '录入请求' });
    await form.getByLabel('类型').selectOption('technical_support');
    await form.getByLabel('客户姓名').fill('Zhou Xun');
    await form.getByLabel('电子邮箱').fill('zhou.xun@customer.example');
    await form.getByLabel('电话', { exact: true }).fill('+86 137 0000 1234');
    await form.getByLabel('订单').fill('#2001');
    await form.getByLabel('问题描述').fill('路由器每晚断线，需要远程排查。');
    expect(await wcagViolations(page)).toEqual([]);
    await form.getByRole('button', { name: '录入请求' }).click();
    await page.getByRole('heading', { level: 2, name: '处理记录' }).waitFor();
    const requestId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body).toMatchObject({
      kind: 'technical_support',
      channel: 'phone',
      orderReference: '#2001',
      customer: { name: 'Zhou Xun', phone: '+86 137 0000 1234' },
    });

    await page.goto(consoleUrl('feedback'));
    await page.getByRole('link', { name: '+ 录入投诉或建议' }).click();
    const complaint = page.getByRole('form', { name: '录入投诉或建议' });
    await complaint.getByLabel('客户姓名').fill('Zhou Xun');
    await complaint.getByLabel('电子邮箱').fill('zhou.xun@customer.example');
    await complaint.getByLabel('相关请求').fill(requestId);
    await complaint.getByLabel('客户反映的内容').fill('电话等了二十分钟才接通。');
    await complaint.getByRole('button', { name: '录入投诉或建议' }).click();
    // Entered, it opens on the case's own page: what they said, its conversation, its history.
    await page.getByRole('heading', { level: 2, name: '沟通记录' }).waitFor();
    await page.getByText('电话等了二十分钟才接通。').waitFor();
    await page.getByRole('textbox', { name: '回复客户' }).fill('非常抱歉，我们已增加接线人员。');
    await page.getByRole('button', { name: '发送' }).click();
    await page.locator('li[data-kind="reply"]', { hasText: '增加接线人员' }).waitFor();
    expect(await wcagViolations(page)).toEqual([]);

    // The customer's history, from the request: the request and the complaint about it.
    await page.goto(consoleUrl(`requests/${requestId}`));
    await page.getByRole('link', { name: '历史记录' }).click();
    await page.getByRole('heading', { level: 1, name: 'Zhou Xun' }).waitFor();
    await page.getByRole('link', { name: requestId }).waitFor();
    await page.getByText('电话等了二十分钟才接通。').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await page.close();
  });

  it('tells of new breached work wherever one is: the title counts it, and a desktop notification says so', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      permissions: ['notifications'],
    });
    // What the page asks the desktop to show, recorded.
    await context.addInitScript(() => {
      const shown: string[] = [];
      Object.assign(window, {
        shownNotifications: shown,
        Notification: class {
          static permission = 'granted';
          static async requestPermission(): Promise<string> {
            return 'granted';
          }
          constructor(_title: string, options: { body: string }) {
            shown.push(options.body);
          }
        },
      });
    });
    const page = await context.newPage();
    // The page's 30-second poll on a clock the test moves.
    await page.clock.install();
    const login = demo.staffLogins.find((l) => l.staffId === 'lead-chen')!;
    await page.goto(consoleUrl('calendar'));
    await page.getByLabel(/Email/).fill(login.email);
    await page.getByLabel(/^密码/).fill(login.password);
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.locator('main h1').waitFor();
    await page.clock.runFor(1000);
    const before = (await runtime.api('GET', '/v1/worklist/counts')).body.breached as number;

    await runtime.api('POST', '/v1/requests', repairRequest({ orderReference: '#1007' }));
    await runtime.advance(3 * 3600);
    const after = (await runtime.api('GET', '/v1/worklist/counts')).body.breached as number;
    expect(after).toBeGreaterThan(before);
    await page.clock.runFor(31_000);
    await expect.poll(() => page.title()).toBe(`(${after}) 售后服务`);
    await expect
      .poll(() =>
        page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications),
      )
      .toContainEqual(expect.stringContaining(`已超时: ${after}`));
    await context.close();
  });

  it('keeps the first page’s JavaScript within 200 KB gzipped (the charts load with the reports page)', () => {
    const dist = join(import.meta.dirname, '../../web/dist');
    const index = readFileSync(join(dist, 'index.html'), 'utf8');
    const scripts = [...index.matchAll(/src="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file))).length, 0);
    expect(gzipped).toBeLessThanOrEqual(200 * 1024);
    expect(scripts.join()).not.toMatch(/Reports/);
  });
});
