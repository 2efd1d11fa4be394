import { createRequire } from 'node:module';

/**
 * aws-local-stepfunctions, its CommonJS build: that build reads jsonpath-plus's `JSONPath` at each
 * call, so the scalar answers below take effect (its ES module build binds it at load).
 */
const require = createRequire(import.meta.url);
const interpreter = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');
export const { ExecutionError, StateMachine } = interpreter;
export type { StateMachineDefinition } from 'aws-local-stepfunctions';

type JsonPathOptions = { path: string; json: unknown; wrap?: boolean };
type JsonPathClass = new (
  options: JsonPathOptions & { autostart: false },
) => {
  evaluate(query: { path: string; json: unknown }): unknown;
};

/**
 * The interpreter evaluates every path (each Parameters field, InputPath, Choice variable…) by
 * calling `JSONPath({ path, json, wrap: false })` without `new`. For a scalar answer, jsonpath-plus
 * then throws it inside an Error to its own caller, which catches it: a stack captured per path,
 * a tenth of the ASL interpreter's time. The same query, made with `new` and evaluated, answers
 * the same value without the throw.
 */
const jsonpath = createRequire(require.resolve('aws-local-stepfunctions'))('jsonpath-plus') as {
  JSONPath: JsonPathClass;
};
const { JSONPath } = jsonpath;
function answering(this: unknown, ...args: unknown[]): unknown {
  const [options] = args;
  const plainQuery =
    new.target === undefined && args.length === 1 && typeof options === 'object' && options !== null;
  // Anything else (other callers of jsonpath-plus, in other forms) goes to jsonpath-plus itself.
  if (!plainQuery || (options as { autostart?: boolean }).autostart === false)
    return new.target ? Reflect.construct(JSONPath, args, new.target) : Reflect.apply(JSONPath, this, args);
  const query = options as JsonPathOptions;
  return new JSONPath({ ...query, autostart: false }).evaluate({ path: query.path, json: query.json });
}
// Its static helpers and prototype, as jsonpath-plus's own.
Object.setPrototypeOf(answering, JSONPath);
answering.prototype = JSONPath.prototype;
jsonpath.JSONPath = answering as unknown as JsonPathClass;
