import type { State, StateMachineDefinition } from './asl.ts';

/**
 * The contract's "service flow chart" attachment (11.2), drawn from a workflow definition:
 * every state a box, every transition an arrow (choices and caught errors labelled), as a
 * Mermaid flowchart that renders in GitHub, the docs site, or any Mermaid viewer.
 */
export function flowChart(definition: StateMachineDefinition): string {
  const ids = new Map(Object.keys(definition.States).map((name, i) => [name, `s${i}`]));
  const id = (name: string) => ids.get(name) ?? 'unknown';
  const label = (text: string) => text.replace(/"/g, "'");
  const lines = ['flowchart TD', `  start((start)) --> ${id(definition.StartAt)}`];
  for (const [name, state] of Object.entries(definition.States) as [string, State][]) {
    const shape =
      state.Type === 'Choice'
        ? `{"${label(name)}"}`
        : state.Type === 'Succeed' || state.Type === 'Fail'
          ? `(["${label(name)}"])`
          : `["${label(name)}"]`;
    lines.push(`  ${id(name)}${shape}`);
    if (state.Type === 'Choice') {
      for (const choice of state.Choices) {
        const condition = 'StringEquals' in choice ? choice.StringEquals : choice.Variable;
        lines.push(`  ${id(name)} -- "${label(String(condition))}" --> ${id(choice.Next)}`);
      }
      if (state.Default) lines.push(`  ${id(name)} -. otherwise .-> ${id(state.Default)}`);
      continue;
    }
    if ('Catch' in state && state.Catch) {
      for (const catcher of state.Catch)
        lines.push(`  ${id(name)} -. "${label(catcher.ErrorEquals.join(', '))}" .-> ${id(catcher.Next)}`);
    }
    if ('Next' in state && state.Next) lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    if ('End' in state && state.End) lines.push(`  ${id(name)} --> finish((end))`);
  }
  return lines.join('\n');
}
