import type { State, StateMachineDefinition } from './asl.ts';
import { workflowCatalog } from './catalog.ts';

/**
 * The technical diagram of a deployed state machine, for operators: every state a box, every
 * transition an arrow (choices and caught errors labelled), as Graphviz DOT. Drawn to SVG at build
 * time (`npm run workflow-diagrams` writes workflows/diagrams.generated.ts), because the definitions
 * are fixed when we build and Graphviz is 800 KB of WebAssembly no function should load.
 * (The customer's chart is domain/service-flow.ts.)
 */
export function workflowDot(definition: StateMachineDefinition): string {
  const ids = new Map(Object.keys(definition.States).map((name, i) => [name, `s${i}`]));
  const id = (name: string) => ids.get(name) ?? 'unknown';
  const quoted = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [
    'digraph workflow {',
    '  rankdir=LR; nodesep=0.25; ranksep=0.5;',
    '  node [shape=box, style="rounded", fontname="sans-serif", fontsize=11, margin="0.2,0.06"];',
    '  edge [fontname="sans-serif", fontsize=9];',
    '  start [shape=circle, label="start", width=0.5];',
    `  start -> ${id(definition.StartAt)};`,
  ];
  for (const [name, state] of Object.entries(definition.States) as [string, State][]) {
    const shape =
      state.Type === 'Choice'
        ? 'diamond'
        : state.Type === 'Succeed' || state.Type === 'Fail'
          ? 'oval'
          : 'box';
    lines.push(`  ${id(name)} [label=${quoted(name)}, shape=${shape}];`);
    if (state.Type === 'Choice') {
      for (const choice of state.Choices) {
        const condition = 'StringEquals' in choice ? choice.StringEquals : choice.Variable;
        lines.push(`  ${id(name)} -> ${id(choice.Next)} [label=${quoted(String(condition))}];`);
      }
      if (state.Default)
        lines.push(`  ${id(name)} -> ${id(state.Default)} [label="otherwise", style=dashed];`);
      continue;
    }
    if ('Catch' in state && state.Catch) {
      for (const catcher of state.Catch)
        lines.push(
          `  ${id(name)} -> ${id(catcher.Next)} [label=${quoted(catcher.ErrorEquals.join(', '))}, style=dashed];`,
        );
    }
    if ('Next' in state && state.Next) lines.push(`  ${id(name)} -> ${id(state.Next)};`);
    if ('End' in state && state.End) lines.push(`  ${id(name)} -> finish;`);
  }
  lines.push('  finish [shape=doublecircle, label="end", width=0.5];', '}');
  return lines.join('\n');
}

/** Every workflow of the catalog drawn by Graphviz (dot), as SVG elements for inlining in HTML. */
export async function drawWorkflowDiagrams(): Promise<Record<keyof typeof workflowCatalog, string>> {
  // Only build tools and tests import Graphviz (a devDependency): no function bundles it.
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  const drawn = Object.entries(workflowCatalog).map(([key, { definition }]) => {
    const svg = graphviz.dot(workflowDot(definition));
    return [key, svg.slice(svg.indexOf('<svg'))];
  });
  return Object.fromEntries(drawn) as Record<keyof typeof workflowCatalog, string>;
}
