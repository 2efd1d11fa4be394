import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Every response the test suite receives from the API is checked against the OpenAPI document
 * the API serves: a status the operation does not document, a media type it does not declare,
 * or a JSON body its schema refuses fails the test that caused it.
 */
type OpenApi = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
};

interface Operation {
  method: string;
  pattern: RegExp;
  template: string;
  responses: Record<string, { media: Map<string, ValidateFunction | undefined> }>;
}

export class ResponseChecker {
  private readonly operations: Operation[];

  constructor(document: OpenApi) {
    const ajv = new Ajv2020({ strict: false, allErrors: true, multipleOfPrecision: 6 });
    (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
    this.operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
        responses: Object.fromEntries(
          Object.entries(operation.responses).map(([status, response]) => [
            status,
            {
              media: new Map(
                Object.entries(response.content ?? {}).map(([type, { schema }]) => [
                  type,
                  type === 'application/json' ? ajv.compile(schema) : undefined,
                ]),
              ),
            },
          ]),
        ),
      })),
    );
  }

  /** Throws when the response is not what the document says this operation answers. */
  check(method: string, url: string, status: number, contentType: string | undefined, text: string): void {
    const path = new URL(url).pathname;
    // The local runtime's own routes (health, clock, faults) are not the API.
    if (path === '/health' || path.startsWith('/_local/')) return;
    const operation = this.operations.find((o) => o.method === method && o.pattern.test(path));
    const where = `${method} ${path} → ${status}`;
    if (!operation) {
      // No operation: the API must say so as a documented 404, or a 405 naming what is allowed.
      if (status === 404 || status === 405) return;
      throw new Error(`${where}: no such operation in the OpenAPI document`);
    }
    const response = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
    if (!response)
      throw new Error(`${where}: status not documented for ${operation.method} ${operation.template}`);
    if (response.media.size === 0) return;
    const media = (contentType ?? '').split(';')[0]!.trim();
    if (!response.media.has(media))
      throw new Error(
        `${where}: answered ${media || 'no content type'}, documented ${[...response.media.keys()].join(', ')}`,
      );
    const validate = response.media.get(media);
    if (!validate) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${where}: the body is not JSON`);
    }
    if (!validate(body))
      throw new Error(
        `${where}: the body does not match the documented schema: ${JSON.stringify(validate.errors?.slice(0, 5))}\n${text.slice(0, 600)}`,
      );
  }
}
