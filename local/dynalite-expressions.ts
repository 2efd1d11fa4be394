import { createRequire } from 'node:module';

/**
 * dynalite parses every expression of every call with its PEG parsers (a sixth of a simulation's
 * CPU), though our calls use a few dozen expressions with new values each time. The parse is a
 * function of the expression, the attribute names and the values' types, except where it
 * compares values (BETWEEN's bounds) or reads one (attribute_type's type name): the rest is
 * parsed once and, for the next call, copied with that call's values in place of the first's.
 * Everything the parse checks, it checks as before; a call whose expression reads values
 * themselves is parsed afresh.
 */

type AttributeValue = Record<string, unknown>;
interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, AttributeValue>;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
}
interface Parser {
  parse(expression: string, options: { context: ParseContext }): unknown;
}

/** What one parse gave and used: its tree (holding the values it resolved) and the names it used. */
interface Parsed {
  tree: unknown;
  /** Each value the tree holds, by the name it was given under. */
  valueNames: Map<object, string>;
  usedNames: string[];
  usedValues: string[];
}

const VALUE_TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];
/** The parse compares or reads values only for these (dynalite's keywords are case-insensitive). */
const READS_VALUES = /between|attribute_type/i;
const MOST_KEPT = 2000;

const typeOf = (value: AttributeValue) => VALUE_TYPES.find((type) => value[type] != null) ?? '';

/** The tree with the given values where `valueNames` says the first parse's values were. */
function withValues(
  node: unknown,
  valueNames: Map<object, string>,
  values: Record<string, AttributeValue>,
): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const name = valueNames.get(node);
  if (name !== undefined) return values[name];
  if (Array.isArray(node)) return node.map((element) => withValues(element, valueNames, values));
  // Anything but a plain object (none seen in dynalite's trees) is kept as it is, not flattened.
  const prototype = Object.getPrototypeOf(node);
  if (prototype !== Object.prototype && prototype !== null) return node;
  const copy: Record<string, unknown> = Object.create(prototype);
  for (const key in node) copy[key] = withValues((node as Record<string, unknown>)[key], valueNames, values);
  return copy;
}

/** Whether the tree holds values only whole (never a list element or map entry of one). */
function holdsValuesWhole(node: unknown, wholes: Map<object, string>, parts: Set<object>): boolean {
  if (typeof node !== 'object' || node === null) return true;
  if (wholes.has(node)) return true;
  if (parts.has(node)) return false;
  const children = Array.isArray(node) ? node : Object.values(node);
  return children.every((child) => holdsValuesWhole(child, wholes, parts));
}

function partsOf(value: unknown, into: Set<object>): Set<object> {
  if (typeof value !== 'object' || value === null) return into;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (typeof child === 'object' && child !== null) into.add(child);
    partsOf(child, into);
  }
  return into;
}

/** Every name as not used yet: the parse deletes what it uses. */
const allUnused = (names: object | undefined) =>
  Object.fromEntries(Object.keys(names ?? {}).map((name) => [name, true])) as Record<string, boolean>;

function remembering(parser: Parser): Parser['parse'] {
  const parse = parser.parse.bind(parser);
  const kept = new Map<string, Parsed>();
  const markUsed = (context: ParseContext, parsed: Pick<Parsed, 'usedNames' | 'usedValues'>) => {
    for (const name of parsed.usedNames) delete context.unusedAttrNames?.[name];
    for (const name of parsed.usedValues) delete context.unusedAttrVals?.[name];
  };
  return (expression, options) => {
    const context = options.context;
    const values = context.attrVals ?? {};
    if (READS_VALUES.test(expression)) return parse(expression, options);
    const key = `${expression}\u0000${JSON.stringify(context.attrNames ?? null)}\u0000${Object.entries(values)
      .map(([name, value]) => `${name}:${typeOf(value)}`)
      .join(',')}`;
    const known = kept.get(key);
    if (known) {
      markUsed(context, known);
      return withValues(known.tree, known.valueNames, values);
    }
    // Parsed with every name unused, so what it uses is its own, whichever expression of the
    // call (an update, a condition) used the same names before it.
    const own = {
      ...context,
      unusedAttrNames: allUnused(context.attrNames),
      unusedAttrVals: allUnused(values),
    };
    const tree = parse(expression, { ...options, context: own });
    const used = {
      usedNames: Object.keys(context.attrNames ?? {}).filter((name) => !(name in own.unusedAttrNames)),
      usedValues: Object.keys(values).filter((name) => !(name in own.unusedAttrVals)),
    };
    markUsed(context, used);
    const valueNames = new Map(Object.entries(values).map(([name, value]) => [value as object, name]));
    const parts = new Set<object>();
    for (const value of Object.values(values)) partsOf(value, parts);
    if (!holdsValuesWhole(tree, valueNames, parts)) return tree;
    if (kept.size >= MOST_KEPT) kept.clear();
    // A copy holding the same values: the caller may change the tree it is given.
    kept.set(key, { tree: withValues(tree, valueNames, values), valueNames, ...used });
    return tree;
  };
}

let installed = false;

/** From now on, in this process, dynalite's expression parsers remember what they parsed. */
export function rememberDynaliteExpressions(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const dynaliteRequire = createRequire(require.resolve('dynalite'));
  for (const name of ['conditionParser', 'updateParser', 'projectionParser']) {
    const parser = dynaliteRequire(`./db/${name}.js`) as Parser;
    parser.parse = remembering(parser);
  }
}
