// The one way a gateway route refuses: a status, a stable code and a sentence, never a stack.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function tooMany(code: string, message: string, retryAfterSec: number): HttpError {
  return new HttpError(429, code, message, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSec))) });
}
