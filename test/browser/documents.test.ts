/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRequest, contractTerms } from '#local/driver/lifecycle.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { CHROMIUM } from './ensure-chromium.ts';

/**
 * The contract's documents as a person reads, prints and signs them (11.2, 14.2), in headless
 * Chromium with a Chinese font: each page's screenshot is saved under test-artifacts/documents/.
 */
const ARTIFACTS = join('test-artifacts', 'documents');
let runtime: TestRuntime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  runtime = await startTestRuntime({ clock: 'real' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 900, height: 1270 } });
  // Staff open the documents with their key, as the console will.
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${runtime.demo.apiKey}` });

  // A contract promising a response in 2 hours, then an amendment making it 4.
  const created = await runtime.api('POST', '/v1/contracts', {
    contractId: 'gwh-2026',
    terms: contractTerms(2),
  });
  expect(created.status).toBe(201);
  await runtime.api('POST', '/v1/contracts/gwh-2026/versions', { terms: { ...contractTerms(4) } });
  for (const version of [1, 2])
    for (const party of ['provider', 'customer'])
      await runtime.api('POST', `/v1/contracts/gwh-2026/versions/${version}/confirm`, {
        party,
        ...(party === 'customer' ? { evidence: 'signed copy HT-2026-018' } : {}),
      });
});
afterAll(async () => {
  await browser?.close();
  await runtime?.dispose();
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function wcagViolations(): Promise<{ rule: string; where: string[] }[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  })`)) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => ({ rule: v.id, where: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Opens a printable page as printed (A4 print styles), saves its screenshot, checks WCAG. */
async function openPrinted(path: string, artifact: string) {
  const response = await page.goto(`${runtime.urls.api}${path}`);
  expect(response?.status(), path).toBe(200);
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(ARTIFACTS, `${artifact}.png`), fullPage: true });
  expect(await wcagViolations(), path).toEqual([]);
  await page.emulateMedia({ media: 'screen' });
}

/** Every box's text lies inside its box, in the font the page really uses (no overflow). */
async function textOutsideBoxes(): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure svg g.node')].flatMap((node) => {
      const shape = node.querySelector('path, polygon');
      if (!shape) return [];
      const box = (shape as SVGGraphicsElement).getBBox();
      return [...node.querySelectorAll('text')].flatMap((text) => {
        const t = (text as SVGGraphicsElement).getBBox();
        return t.x < box.x - 0.5 || t.x + t.width > box.x + box.width + 0.5 ? [text.textContent ?? ''] : [];
      });
    }),
  );
}

describe('the service flow chart', () => {
  it('is an SVG drawn on the server, in Chinese, with the contract version’s own figures', async () => {
    const svgOf = async (version: number) => {
      const response = await send(
        `${runtime.urls.api}/v1/attachments/service-flow-chart.svg?contractId=gwh-2026&version=${version}`,
        { method: 'GET', headers: { authorization: `Bearer ${runtime.demo.apiKey}` } },
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
      return response.text;
    };
    const [first, amended] = [await svgOf(1), await svgOf(2)];
    // It parses as SVG (the browser's own parser) and holds the figures, as text a person reads.
    const parsed = await page.evaluate((svg) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror') !== null,
        root: doc.documentElement.nodeName,
        boxes: doc.querySelectorAll('g.node').length,
        text: [...doc.querySelectorAll('text')].map((t) => t.textContent).join(' '),
      };
    }, first);
    expect(parsed).toMatchObject({ error: false, root: 'svg', boxes: 8 });
    expect(parsed.text).toContain('2 小时内响应');
    expect(parsed.text).toContain('5 个工作日内处理反馈');
    expect(parsed.text).toContain('保修期 12 个月');
    expect(first).not.toMatch(/flowchart|awaitAcknowledgement|States\.Timeout|Route by phase/);
    // The amendment says 4 hours: so does its chart.
    expect(amended).toContain('4 小时内响应');
    expect(amended).not.toContain('2 小时内响应');
  });

  it('prints on A4 with the contract number and version in the header, the drawing showing', async () => {
    await openPrinted(
      '/v1/attachments/service-flow-chart?contractId=gwh-2026&version=2',
      'service-flow-chart.zh',
    );
    expect(await page.locator('header').textContent()).toContain('合同编号：HT-2026-018（第 2 版）');
    expect(await page.locator('figure svg g.node').count()).toBe(8);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await textOutsideBoxes()).toEqual([]);
    expect(await page.locator('body').textContent()).not.toContain('flowchart');
  });

  it('is marked as a translation in English', async () => {
    await openPrinted('/v1/attachments/service-flow-chart?lang=en', 'service-flow-chart.en');
    expect(await page.locator('.note').textContent()).toMatch(/Chinese text is the official version/);
    expect(await page.locator('header').textContent()).toContain('Default terms');
    expect(await textOutsideBoxes()).toEqual([]);
  });

  it('answers 404 for a contract or version that does not exist', async () => {
    const response = await page.goto(
      `${runtime.urls.api}/v1/attachments/service-flow-chart?contractId=gwh-2026&version=9`,
    );
    expect(response?.status()).toBe(404);
  });
});

describe('the other documents share the printable layout', () => {
  it('the survey form', async () => {
    await openPrinted('/v1/attachments/survey-form?contractId=gwh-2026', 'survey-form.zh');
    expect(await page.locator('header').textContent()).toContain('Demo Electronics Co., Ltd.');
    expect(await page.locator('fieldset').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('form, input').count()).toBe(0);
  });

  it('the service record the customer receives, with places to sign', async () => {
    const requestId = await completedRequest(runtime, {
      customer: { name: '孙丽', email: `sun.li.${Date.now()}@customer.example` },
    });
    await openPrinted(`/v1/requests/${requestId}/service-record`, 'service-record.zh');
    const text = await page.locator('main').textContent();
    expect(text).toContain('服务记录');
    expect(text).toContain('孙丽');
    expect(text).toContain('客户签字');
  });

  it('the damages and late-fee statement (10.1), in Chinese, with places for both parties to sign', async () => {
    await openPrinted(
      '/v1/contracts/gwh-2026/statement?from=2026-03-01&to=2026-03-31&format=html',
      'statement.zh',
    );
    expect(await page.locator('h1').textContent()).toBe('违约金及滞纳金结算单');
    expect(await page.locator('header').textContent()).toContain('合同编号：HT-2026-018');
    expect(await page.locator('main').textContent()).toContain('本期违约金合计');
    expect(await page.locator('.signatures p').count()).toBe(2);
  });

  it('and operators see the deployed state machines drawn, not as source text', async () => {
    await openPrinted('/v1/attachments/workflow-diagrams', 'workflow-diagrams');
    expect(await page.locator('figure svg').count()).toBe(2);
    expect(await page.locator('figure svg g.node').count()).toBeGreaterThan(15);
  });
});
