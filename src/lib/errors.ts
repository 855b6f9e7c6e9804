// The app's error types: each says whether the operation may be retried and what the user should see.

/** A request that cannot succeed as sent: answered 4xx, never retried. */
export class InputError extends Error {
  constructor(message: string, readonly status = 400, readonly details?: unknown) {
    super(message);
    this.name = 'InputError';
  }
}

/** An error from HighLevel's API, carrying its status and traceId for support requests. */
export class HighLevelApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly traceId: string | undefined,
    readonly retryable: boolean,
    /** True when HighLevel may have acted on the request (timeout, dropped connection). */
    readonly ambiguous = false,
  ) {
    super(message);
    this.name = 'HighLevelApiError';
  }
}

/** The installation's refresh token was rejected (invalid_grant): only a reinstall/reconnect can fix it. */
export class ReconnectRequiredError extends Error {
  constructor(readonly ownerId: string, message = 'HighLevel rejected the refresh token; the app must be reconnected') {
    super(message);
    this.name = 'ReconnectRequiredError';
  }
}

/** No usable installation for the location: not installed, uninstalled, or no way to get a token. */
export class NotInstalledError extends Error {
  constructor(readonly locationId: string) {
    super(`the app is not installed for location ${locationId}`);
    this.name = 'NotInstalledError';
  }
}

/** A job outcome that asks the worker to try again later rather than count a failure. */
export class RetryLaterError extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
