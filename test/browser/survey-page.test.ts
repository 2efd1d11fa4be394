import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '#functions/adapters/signed-links.ts';
import { completedRequest, emailsAbout, linkIn } from '#local/driver/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { CHROMIUM } from './ensure-chromium.ts';

/** The survey page (7.1.2) in headless Chromium, as a customer on a phone would use it. */
let runtime: TestRuntime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Real clock: Playwright times its own operations with setTimeout, which a virtual clock would own.
  runtime = await startTestRuntime({ clock: 'real' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await browser?.close();
  await runtime?.dispose();
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core (Deque's WCAG rules engine) finds against WCAG 2.1 A and AA on the page as shown. */
async function wcagViolations(): Promise<{ rule: string; where: string[] }[]> {
  await page.evaluate(axeSource); // evaluated, not a <script>: the page's CSP stays as it is
  const result = (await page.evaluate(`axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  })`)) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => ({ rule: v.id, where: v.nodes.map((n) => n.target.join(' ')) }));
}

/** A completed request whose record email carries the survey link. */
async function surveyLink(
  customer = { name: 'Sun Li', email: `sun.li.${Date.now()}@customer.example` },
): Promise<{ requestId: string; link: string }> {
  const requestId = await completedRequest(runtime, { customer });
  for (let attempt = 0; attempt < 100; attempt++) {
    const record = emailsAbout(await runtime.mailbox(), requestId).find((e) =>
      e.subject.includes('服务记录'),
    );
    const link = linkIn(record, 'survey');
    if (link) return { requestId, link };
    await runtime.settled();
  }
  throw new Error('no survey link was emailed');
}

describe('survey page', () => {
  it('is an accessible, mobile form in the customer’s language that takes one answer and opens feedback for a low score', async () => {
    const { requestId, link } = await surveyLink();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('售后服务满意度调查');
    // Every scale is a named group of named radios; every text box has a label.
    const service = page.getByRole('group', { name: /您对本次服务的满意度/ });
    expect(await service.getByRole('radio').count()).toBe(5);
    expect(await page.getByRole('group', { name: /推荐/ }).getByRole('radio').count()).toBe(11);
    expect(await page.getByLabel('对服务的意见或建议').count()).toBe(1);
    // Nothing overflows a phone's width.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await wcagViolations()).toEqual([]);

    // Submitting nothing: the page says what is missing, and stores nothing.
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('请检查以下问题');
    expect(await wcagViolations()).toEqual([]); // the error state too

    await page
      .getByRole('group', { name: /您对本次服务的满意度/ })
      .getByText('2', { exact: true })
      .click();
    await page
      .getByRole('group', { name: /您对商品的满意度/ })
      .getByText('4', { exact: true })
      .click();
    await page.getByRole('group', { name: /推荐/ }).getByText('6', { exact: true }).click();
    await page.getByLabel('对服务的意见或建议').fill('上门太晚了 <script>alert(1)</script>');
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('感谢您的评价！');

    await runtime.settled();
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.survey).toMatchObject({
      answer: { serviceScore: 2, goodsScore: 4, recommendScore: 6 },
      answeredVia: 'web',
    });
    expect(request.status).toBe('closed');
    const feedback = (await runtime.api('GET', `/v1/feedback/fb_s${requestId.slice(3)}`)).body;
    expect(feedback).toMatchObject({ category: 'low_score', status: 'open' });
    expect(feedback.content).toContain('上门太晚了 <script>alert(1)</script>');

    // A second answer through the same invitation is refused.
    const again = await page.goto(link);
    expect(again?.status()).toBe(409);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('已经提交过了');
  });

  it('speaks English on request', async () => {
    const { link } = await surveyLink();
    await page.goto(`${link}?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(
      await page
        .getByRole('group', { name: /How satisfied are you with the service/ })
        .getByRole('radio')
        .count(),
    ).toBe(5);
    expect(await wcagViolations()).toEqual([]);
  });

  it('refuses a tampered token and an expired one', async () => {
    const { requestId, link } = await surveyLink();
    const tampered = await page.goto(`${link.slice(0, -4)}AAAA`);
    expect(tampered?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('链接无效');
    expect(await wcagViolations()).toEqual([]); // the message pages too

    const expired = await signLink({
      tenantId: 'demo',
      requestId,
      action: 'survey',
      actor: 'x@y.example',
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    const response = await page.goto(expired);
    expect(response?.status()).toBe(410);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('调查已结束');

    // An escalation action link is not a survey link, and a survey link acts on nothing at /a/.
    const actionLink = await signLink({
      tenantId: 'demo',
      requestId,
      action: 'takeOver',
      actor: 'x@y.example',
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });
    expect((await page.goto(actionLink.replace('/a/', '/s/')))?.status()).toBe(404);
    expect((await page.goto(link.replace('/s/', '/a/')))?.status()).toBe(404);
    // The manager's confirmation page, in the tenant's language, and as accessible as the survey.
    expect((await page.goto(actionLink))?.status()).toBe(200);
    await expect(page.getByRole('button', { name: '接手处理' }).count()).resolves.toBe(1);
    expect(await wcagViolations()).toEqual([]);
  });
});
