import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas of the served OpenAPI document: instances the
 * schema accepts, and near-misses (a required field dropped, a field of the wrong type, a field
 * the schema does not know, anything at all), so that a property test of an operation speaks
 * to the API the way its document says, and the way a careless client would.
 */
type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
};

const isoDate = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const isoInstant = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date') return isoDate;
  if (schema.format === 'date-time') return isoInstant;
  if (schema.format === 'email')
    return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? 2000));
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
}

function numberOf(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? (integer ? -1000 : -1e6);
  const max = schema.maximum ?? schema.exclusiveMaximum ?? (integer ? 1000 : 1e6);
  if (integer || schema.multipleOf) {
    const step = schema.multipleOf ?? 1;
    const low = Math.ceil(min / step);
    const high = Math.floor(max / step);
    return fc
      .integer({ min: Math.max(low, -1e9), max: Math.min(high, 1e9) })
      .map((n) => Number((n * step).toFixed(6)))
      .filter((n) => (schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum) && n <= max);
  }
  return fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter((n) => schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum);
}

/** Values the schema accepts. */
export function valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => valid(choice, depth)));
  if (schema.allOf) return valid(Object.assign({}, ...schema.allOf), depth);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => valid({ ...schema, type }, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringOf(schema);
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'array':
      return fc.array(schema.items ? valid(schema.items, depth + 1) : fc.jsonValue(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, depth > 2 ? Math.max(schema.minItems ?? 0, 1) : 3),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(properties).filter(([name]) => depth < 4 || required.has(name));
      const record = fc.record(
        Object.fromEntries(entries.map(([name, property]) => [name, valid(property, depth + 1)])),
        {
          requiredKeys: [...required].filter((name) => name in properties),
        },
      );
      if (typeof schema.additionalProperties === 'object' && Object.keys(properties).length === 0)
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }),
          valid(schema.additionalProperties, depth + 1),
          {
            maxKeys: 3,
          },
        );
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values near what the schema accepts, most of which it refuses. */
export function nearMiss(schema: Schema): fc.Arbitrary<unknown> {
  const wrongType = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.constant([]),
  );
  const mutations: fc.Arbitrary<unknown>[] = [fc.jsonValue({ maxDepth: 3 }), wrongType];
  if (schema.type === 'object' && schema.properties) {
    const names = Object.keys(schema.properties);
    const base = valid(schema) as fc.Arbitrary<Record<string, unknown>>;
    if (names.length > 0) {
      mutations.push(
        fc
          .tuple(base, fc.constantFrom(...names), wrongType)
          .map(([value, name, wrong]) => ({ ...value, [name]: wrong })),
      );
    }
    if (schema.required?.length) {
      mutations.push(
        fc.tuple(base, fc.constantFrom(...schema.required)).map(([value, name]) => {
          const { [name]: _dropped, ...rest } = value;
          return rest;
        }),
      );
    }
    mutations.push(base.map((value) => ({ ...value, unexpectedField: 'surprise' })));
  }
  return fc.oneof(...mutations);
}

/** Either, about half and half. */
export const validOrNot = (schema: Schema): fc.Arbitrary<unknown> =>
  fc.oneof(valid(schema), nearMiss(schema));
