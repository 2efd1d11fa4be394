/**
 * Named errors, mapped to HTTP in one place (functions/shared/http.ts) and to Step Functions
 * error names by their `name` (what a Catch or Retry matches).
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = code;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'NotFound', `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, fields?: Record<string, string[]>) {
    super(422, 'ValidationFailed', message, fields);
  }
}

/**
 * A dependency was down before the request could be checked (the authorizer could not read the
 * table): answered 503 with Retry-After, in our error shape.
 */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailable';
  constructor(readonly retryAfterSeconds: number) {
    super('A service this depends on is busy or down: try again');
  }
}

/** A failure worth retrying (throttling, 5xx of an AWS service): the workflow's Retry matches it. */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** Node's connection failures: an `Error` with a `code`, not a distinct name. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/** Service answers that say "later": throttling, capacity, a send in doubt. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalFailure',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'EmailInDoubt',
  'TransientError',
]);

/** Errors a retry can cure: AWS throttling and 5xx, connections refused, reset or timed out. */
export function isTransientAwsError(error: unknown): boolean {
  const e = error as {
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    name?: string;
    code?: string;
    message?: string;
    cause?: unknown;
  };
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (TRANSIENT_NAMES.has(e.name ?? '')) return true;
  if (CONNECTION_ERROR_CODES.has(e.code ?? '') || CONNECTION_ERROR_CODES.has(e.name ?? '')) return true;
  if (/socket hang up|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/.test(e.message ?? '')) return true;
  return e.cause !== undefined && e.cause !== error && isTransientAwsError(e.cause);
}

/**
 * For workflow steps: throttling and 5xx of AWS services leave the Lambda as `TransientError`,
 * which every Task's Retry matches (workflows/watched-subject.ts); anything else fails as itself.
 */
export function transientAwsErrors(): { onError: (request: { error: unknown }) => void } {
  return {
    onError: (request) => {
      if (isTransientAwsError(request.error))
        request.error = new TransientError((request.error as Error).message);
    },
  };
}
