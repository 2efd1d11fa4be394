import type { FlowArrow, FlowBox, ServiceFlow } from '#domain/service-flow.ts';
import { CJK_FONTS } from '../documents/printable.ts';
import { escapeHtml } from '../emails/layout.ts';

/**
 * The contract's flow chart drawn as SVG by a fixed layout of its known steps, not by a graph
 * layout engine: the chart always has the same eight boxes and ten arrows (domain/service-flow.ts),
 * only their words and figures change, so a grid places them with no crossing and no overlap.
 * Graphviz did this at 800 KB of WebAssembly per cold start; this is a few kilobytes.
 *
 *              request ◄─────────────┐
 *                 │                  │ a new request under warranty
 *              respond ─── late ──┐  │
 *                 │               ▼  │
 *              dispatch              │
 *                 │                  │
 *   ┌──────── complete ── late ──► missed
 *   ▼             │               ▲
 *  warranty     survey            │
 *   (its way back │               │
 *   runs left)  feedback ─ late ──┘
 */
const FONT = { heading: 15, line: 12, clause: 11 };
const LINE_HEIGHT = { heading: 21, line: 17, clause: 16 };
const PADDING = { x: 12, y: 9 };
/** Lines longer than this wrap, so the chart stays readable on A4. */
const MAX_LINE = 360;
const MARGIN = 16;
const ROW_GAP = 34;
const COLUMN_GAP = 70;
const ARROW = 7;
const NAVY = '#1e3a8a';
const RED = '#b91c1c';

const isWide = (char: string) => /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/.test(char);

/** The width a text takes in the CJK fonts: a full-width character one em, any other 0.55. */
export function textWidthPoints(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text) ems += isWide(char) ? 1 : 0.55;
  return ems * fontSize;
}

/** Greedy wrapping: between words in English, between any two characters in Chinese. */
export function wrap(text: string, fontSize: number, maxWidth = MAX_LINE): string[] {
  const tokens =
    text.match(
      /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]|[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]+\s*|\s+/g,
    ) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line && textWidthPoints((line + token).trimEnd(), fontSize) > maxWidth) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

interface Text {
  text: string;
  size: number;
  height: number;
  bold?: boolean;
  color?: string;
}

interface PlacedBox {
  box: FlowBox;
  texts: Text[];
  x: number;
  y: number;
  width: number;
  height: number;
}

function measured(box: FlowBox): Omit<PlacedBox, 'x' | 'y'> {
  const texts: Text[] = [
    ...wrap(box.heading, FONT.heading).map((text) => ({
      text,
      size: FONT.heading,
      height: LINE_HEIGHT.heading,
      bold: true,
    })),
    ...box.lines.flatMap((line) =>
      wrap(line, FONT.line).map((text) => ({ text, size: FONT.line, height: LINE_HEIGHT.line })),
    ),
    { text: `〔${box.clause}〕`, size: FONT.clause, height: LINE_HEIGHT.clause, color: '#374151' },
  ];
  const width = Math.ceil(Math.max(...texts.map((t) => textWidthPoints(t.text, t.size)))) + 2 * PADDING.x;
  const height = texts.reduce((sum, t) => sum + t.height, 0) + 2 * PADDING.y;
  return { box, texts, width, height };
}

const MAIN_PATH = ['request', 'respond', 'dispatch', 'complete', 'survey', 'feedback'];

type Point = [number, number];

/** Where each box goes: the main path down the middle, the warranty left, a missed promise right. */
export function serviceFlowLayout(flow: ServiceFlow) {
  const sized = new Map(flow.boxes.map((box) => [box.id, measured(box)]));
  const get = (id: string) => {
    const found = sized.get(id);
    if (!found) throw new Error(`The service flow has no box ${id}`);
    return found;
  };
  const returnLabel = flow.arrows.find((a) => a.from === 'warranty' && a.to === 'request')?.label ?? '';
  const lateLabel = flow.arrows.find((a) => a.to === 'missed')?.label ?? '';
  // The way back to a new request runs left of the warranty box, its label above the main path.
  const leftWidth = Math.max(get('warranty').width, textWidthPoints(returnLabel, FONT.clause) + 16);
  const mainWidth = Math.max(...MAIN_PATH.map((id) => get(id).width));
  const gap = Math.max(COLUMN_GAP, textWidthPoints(lateLabel, FONT.clause) + 24);
  const leftX = MARGIN + 14;
  const mainCenter = leftX + leftWidth + COLUMN_GAP + mainWidth / 2;
  const mainRight = mainCenter + mainWidth / 2;
  const missedX = mainRight + gap;

  const placed = new Map<string, PlacedBox>();
  let y = MARGIN + LINE_HEIGHT.clause;
  for (const id of MAIN_PATH) {
    const box = get(id);
    placed.set(id, { ...box, x: mainCenter - box.width / 2, y });
    y += box.height + ROW_GAP;
  }
  const at = (id: string) => placed.get(id)!;
  const center = (id: string): Point => [at(id).x + at(id).width / 2, at(id).y + at(id).height / 2];
  const warranty = get('warranty');
  placed.set('warranty', { ...warranty, x: leftX + (leftWidth - warranty.width) / 2, y: at('survey').y });
  const missed = get('missed');
  placed.set('missed', { ...missed, x: missedX, y: center('complete')[1] - missed.height / 2 });

  const left = (id: string): Point => [at(id).x, center(id)[1]];
  const right = (id: string): Point => [at(id).x + at(id).width, center(id)[1]];
  const top = (id: string): Point => [center(id)[0], at(id).y];
  const bottom = (id: string): Point => [center(id)[0], at(id).y + at(id).height];
  const routes: Record<string, Point[]> = {};
  for (let i = 1; i < MAIN_PATH.length; i++)
    routes[`${MAIN_PATH[i - 1]}>${MAIN_PATH[i]}`] = [bottom(MAIN_PATH[i - 1]!), top(MAIN_PATH[i]!)];
  routes['complete>warranty'] = [
    left('complete'),
    [center('warranty')[0], center('complete')[1]],
    top('warranty'),
  ];
  routes['warranty>request'] = [
    left('warranty'),
    [MARGIN, center('warranty')[1]],
    [MARGIN, center('request')[1]],
    left('request'),
  ];
  routes['complete>missed'] = [right('complete'), [at('missed').x, center('complete')[1]]];
  routes['respond>missed'] = [right('respond'), [center('missed')[0], center('respond')[1]], top('missed')];
  routes['feedback>missed'] = [
    right('feedback'),
    [center('missed')[0], center('feedback')[1]],
    bottom('missed'),
  ];
  const boxes = [...placed.values()];
  const width = Math.ceil(Math.max(...boxes.map((b) => b.x + b.width)) + MARGIN);
  const height = Math.ceil(Math.max(...boxes.map((b) => b.y + b.height)) + MARGIN);
  return { boxes, routes, width, height };
}

const n = (value: number) => Number(value.toFixed(1));

function boxSvg({ box, texts, x, y, width, height }: PlacedBox): string {
  const missed = box.kind === 'promise-missed';
  const r = 8;
  const outline = `M${n(x + r)},${n(y)} H${n(x + width - r)} Q${n(x + width)},${n(y)} ${n(x + width)},${n(y + r)} V${n(y + height - r)} Q${n(x + width)},${n(y + height)} ${n(x + width - r)},${n(y + height)} H${n(x + r)} Q${n(x)},${n(y + height)} ${n(x)},${n(y + height - r)} V${n(y + r)} Q${n(x)},${n(y)} ${n(x + r)},${n(y)} Z`;
  let baseline = y + PADDING.y;
  const lines = texts.map((t) => {
    baseline += t.height;
    const attributes = [
      `x="${n(x + PADDING.x)}"`,
      `y="${n(baseline - (t.height - t.size) / 2 - 2)}"`,
      `font-size="${t.size}"`,
      t.bold ? 'font-weight="bold"' : '',
      `fill="${t.color ?? '#111827'}"`,
    ].filter(Boolean);
    return `<text ${attributes.join(' ')}>${escapeHtml(t.text)}</text>`;
  });
  return `<g class="node" id="${box.id}"><title>${escapeHtml(box.heading)}</title><path d="${outline}" fill="${missed ? '#fde8e8' : '#eef4ff'}" stroke="${missed ? RED : NAVY}" stroke-width="1.4"/>${lines.join('')}</g>`;
}

function arrowSvg(arrow: FlowArrow, points: Point[]): string {
  const color = arrow.to === 'missed' ? RED : NAVY;
  const [tipX, tipY] = points.at(-1)!;
  const [fromX, fromY] = points.at(-2)!;
  const length = Math.hypot(tipX - fromX, tipY - fromY) || 1;
  const [ux, uy] = [(tipX - fromX) / length, (tipY - fromY) / length];
  // The line stops at the arrowhead's base, the head's tip touches the box.
  const base: Point = [tipX - ux * ARROW * 1.4, tipY - uy * ARROW * 1.4];
  const line = [...points.slice(0, -1), base].map(([x, y]) => `${n(x)},${n(y)}`).join(' ');
  const head = [
    [tipX, tipY],
    [base[0] - uy * ARROW * 0.6, base[1] + ux * ARROW * 0.6],
    [base[0] + uy * ARROW * 0.6, base[1] - ux * ARROW * 0.6],
  ]
    .map(([x, y]) => `${n(x!)},${n(y!)}`)
    .join(' ');
  let label = '';
  if (arrow.label) {
    // Above the first leg that runs across, or left-aligned at the top of the way back.
    const [[x1, y1], [x2]] = arrow.to === 'request' ? [points[2]!, points[3]!] : [points[0]!, points[1]!];
    const x = arrow.to === 'request' ? x1 + 6 : (x1 + x2) / 2;
    label = `<text x="${n(x)}" y="${n(y1 - 5)}" font-size="${FONT.clause}" fill="${color}"${arrow.to === 'request' ? '' : ' text-anchor="middle"'}>${escapeHtml(arrow.label)}</text>`;
  }
  return `<g class="edge"><title>${arrow.from}→${arrow.to}</title><polyline points="${line}" fill="none" stroke="${color}" stroke-width="1.2"${arrow.dashed ? ' stroke-dasharray="5,3"' : ''}/><polygon points="${head}" fill="${color}" stroke="${color}"/>${label}</g>`;
}

/** The contract's flow chart (domain/service-flow.ts) as an SVG element, sized in points. */
export function serviceFlowSvg(flow: ServiceFlow): string {
  const { boxes, routes, width, height } = serviceFlowLayout(flow);
  const arrows = flow.arrows.map((arrow) => {
    const points = routes[`${arrow.from}>${arrow.to}`];
    if (!points) throw new Error(`The service flow chart has no route for ${arrow.from} → ${arrow.to}`);
    return arrowSvg(arrow, points);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}" font-family="${escapeHtml(CJK_FONTS)}"><rect width="${width}" height="${height}" fill="white"/>${arrows.join('')}${boxes.map(boxSvg).join('')}</svg>`;
}

/**
 * An SVG inline in a page, named for screen readers by its title (the page lists the steps as
 * text below it too).
 */
export function accessibleSvg(svg: string, title: string, id: string): string {
  const opened = svg.indexOf('>') + 1;
  return `${svg.slice(0, opened).replace(/^<svg\b/, `<svg role="img" aria-labelledby="${id}"`)}<title id="${id}">${escapeHtml(title)}</title>${svg.slice(opened)}`;
}
