import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { consoleDist } from '#web/build.ts';
import { consoleSecurityHeaders } from '#web/security-headers.ts';

/**
 * The staff console (web/) as the local runtime serves it, at /console/ (built by web/build.ts
 * when its sources changed), as CloudFront serves it on AWS: files by path, every other path under
 * /console/ answered with index.html (the app's own routes), the same security headers, and
 * `config.json` telling the app where to sign in (infra/constructs/console-site.ts writes the same
 * file at deploy).
 */

export interface ConsoleConfig {
  cognitoEndpoint: string;
  clientId: string;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Answers a request under /console (true), or leaves it to the API (false). */
export function serveConsole(path: string, response: ServerResponse, config: ConsoleConfig): boolean {
  if (path !== '/console' && !path.startsWith('/console/')) return false;
  const headers = consoleSecurityHeaders(new URL(config.cognitoEndpoint).origin);
  if (path === '/console') {
    response.writeHead(301, { location: '/console/' });
    response.end();
    return true;
  }
  if (path === '/console/config.json') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache', ...headers });
    response.end(JSON.stringify(config));
    return true;
  }
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(path.slice('/console/'.length)));
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain' });
    response.end('Malformed path');
    return true;
  }
  const file = join(consoleDist, relative);
  const isAsset =
    file.startsWith(consoleDist) && relative !== '.' && existsSync(file) && statSync(file).isFile();
  if (!isAsset && relative.startsWith('assets')) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('Not found');
    return true;
  }
  const served = isAsset ? file : join(consoleDist, 'index.html');
  response.writeHead(200, {
    'content-type': types[extname(served)] ?? 'application/octet-stream',
    // Hashed assets never change; index.html must be read again to find new ones.
    'cache-control': relative.startsWith('assets') ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...headers,
  });
  response.end(readFileSync(served));
  return true;
}
