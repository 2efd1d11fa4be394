import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { ServiceFlow } from '../../domain/service-flow.ts';
import { CJK_FONTS } from '../documents/printable.ts';
import { escapeHtml } from '../emails/layout.ts';

/**
 * Charts drawn on the server, as SVG: Graphviz's layout (dot), compiled to WebAssembly by
 * @hpcc-js/wasm-graphviz. Chosen over a JavaScript layout library (elkjs) because Graphviz also
 * writes the SVG itself (elkjs only computes positions) and over a browser-based renderer
 * (Mermaid) because no browser runs here: the same SVG goes into a page, a print or an email.
 */
let graphviz: ReturnType<typeof Graphviz.load> | undefined;

export async function renderDot(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const svg = (await graphviz).dot(dot);
  // For inlining into HTML: the XML prolog and doctype go, the rest is the SVG element.
  return svg.slice(svg.indexOf('<svg'));
}

/**
 * Graphviz measures text with Latin font metrics and would make boxes too narrow for Chinese:
 * each box is sized here, a full-width character counting one em and any other 0.55.
 */
function textWidthPoints(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text)
    ems += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/.test(char) ? 1 : 0.55;
  return ems * fontSize;
}

const html = (text: string) => escapeHtml(text);

/** The contract's flow chart (domain/service-flow.ts) as DOT. */
export function serviceFlowDot(flow: ServiceFlow): string {
  const nodes = flow.boxes.map((box) => {
    const clause = `〔${box.clause}〕`;
    // Graphviz would place each line from its own (Latin) estimate: every cell is given the
    // width the longest line really needs, and lines start at its left edge.
    const width = Math.ceil(
      Math.max(
        textWidthPoints(box.heading, 15),
        ...box.lines.map((line) => textWidthPoints(line, 12)),
        textWidthPoints(clause, 11),
      ),
    );
    const cell = (content: string) => `<TR><TD WIDTH="${width}" ALIGN="LEFT">${content}</TD></TR>`;
    const missed = box.kind === 'promise-missed';
    const rows = [
      cell(`<FONT POINT-SIZE="15"><B>${html(box.heading)}</B></FONT>`),
      ...box.lines.map((line) => cell(`<FONT POINT-SIZE="12">${html(line)}</FONT>`)),
      cell(`<FONT POINT-SIZE="11" COLOR="#374151">${html(clause)}</FONT>`),
    ].join('');
    return `  ${box.id} [label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">${rows}</TABLE>>, fillcolor="${missed ? '#fde8e8' : '#eef4ff'}", color="${missed ? '#b91c1c' : '#1e3a8a'}"];`;
  });
  const arrows = flow.arrows.map((arrow) => {
    const attributes = [
      // Sized like the boxes' lines, so Graphviz leaves the label the room it really takes.
      arrow.label
        ? `label=<<TABLE BORDER="0" CELLPADDING="0"><TR><TD WIDTH="${Math.ceil(textWidthPoints(arrow.label, 11))}"><FONT POINT-SIZE="11">${html(arrow.label)}</FONT></TD></TR></TABLE>>`
        : '',
      arrow.dashed ? 'style=dashed' : '',
      arrow.to === 'missed' ? 'color="#b91c1c", fontcolor="#b91c1c"' : '',
      // The way back to a new request does not shape the layout.
      arrow.to === 'request' ? 'constraint=false' : '',
    ].filter(Boolean);
    return `  ${arrow.from} -> ${arrow.to}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`;
  });
  return [
    'digraph service_flow {',
    '  rankdir=TB; nodesep=0.5; ranksep=0.45; bgcolor="white";',
    // Graphviz writes the font name into the SVG unescaped: a list without quotes stays valid XML.
    `  node [shape=box, style="rounded,filled", penwidth=1.4, fontname="${CJK_FONTS}", margin="0.12,0.08"];`,
    `  edge [penwidth=1.2, fontname="${CJK_FONTS}"];`,
    ...nodes,
    '  { rank=same; complete; missed; }',
    '  { rank=same; survey; warranty; }',
    ...arrows,
    '}',
  ].join('\n');
}

/**
 * An SVG inline in a page, named for screen readers by its title (the page lists the steps as
 * text below it too).
 */
export function accessibleSvg(svg: string, title: string, id: string): string {
  const opened = svg.indexOf('>') + 1;
  return `${svg.slice(0, opened).replace(/^<svg\b/, `<svg role="img" aria-labelledby="${id}"`)}<title id="${id}">${escapeHtml(title)}</title>${svg.slice(opened)}`;
}
