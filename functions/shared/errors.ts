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

/** A failure worth retrying (throttling, 5xx of an AWS service): the workflow's Retry matches it. */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** AWS SDK errors that a retry can cure. */
function isTransientAwsError(error: unknown): boolean {
  const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string };
  if (e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  return [
    'ThrottlingException',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'TimeoutError',
    'ECONNRESET',
    'ECONNREFUSED',
  ].includes(e?.name ?? '');
}

/**
 * For workflow steps: throttling and 5xx of AWS services leave the Lambda as `TransientError`,
 * which every Task's Retry matches (workflows/deadline-watch.ts); anything else fails as itself.
 */
export function transientAwsErrors(): { onError: (request: { error: unknown }) => void } {
  return {
    onError: (request) => {
      if (isTransientAwsError(request.error))
        request.error = new TransientError((request.error as Error).message);
    },
  };
}
