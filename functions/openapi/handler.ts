import middy from '@middy/core';
import { config } from '../adapters/config.ts';
import { type HttpEvent, type HttpResult, httpErrors, json } from '../shared/http.ts';
import { openApiDocument } from './document.ts';

let document: ReturnType<typeof openApiDocument> | undefined;

export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrors())
  .handler(async () => {
    document ??= openApiDocument(config().PUBLIC_BASE_URL);
    return json(200, document);
  });
