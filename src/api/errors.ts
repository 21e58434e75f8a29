// Errors are values: the API layer throws StatusError (a Kubernetes Status), verbs throw CliError,
// and only the CLI entry point turns them into text and an exit code.

export interface Cause {
  field: string;
  /** full message after `field: `, e.g. `Required value` or `Invalid value: "x": must be …` */
  message: string;
}

export type Reason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'InternalError';

const CODES: Record<Reason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Forbidden: 403,
  MethodNotAllowed: 405,
  InternalError: 500,
};

/** An API error as the server returns it; kubectl prints it as `Error from server (Reason): message`. */
export class StatusError extends Error {
  readonly code: number;
  constructor(
    readonly reason: Reason,
    message: string,
    readonly details?: { kind?: string; name?: string; causes?: Cause[] },
  ) {
    super(message);
    this.code = CODES[reason];
  }

  /** The same error with its message wrapped as kubectl does for `-f` files. */
  wrap(prefix: string): StatusError {
    // Invalid errors print from their causes, so kubectl's source wrapping never shows on them.
    if (this.reason === 'Invalid') return this;
    return new StatusError(this.reason, `${prefix}${this.message}`, this.details);
  }
}

/** A client-side error: printed as `error: message` (or verbatim when `raw`). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly raw = false,
  ) {
    super(message);
  }
}

export function notFound(resource: string, name: string): StatusError {
  return new StatusError('NotFound', `${resource} "${name}" not found`, { name });
}

export function alreadyExists(resource: string, name: string): StatusError {
  return new StatusError('AlreadyExists', `${resource} "${name}" already exists`, { name });
}

/** `The Pod "x" is invalid: …` with one or several causes. */
export function invalid(kind: string, name: string, causes: Cause[]): StatusError {
  const head = `The ${kind} "${name}" is invalid: `;
  const msg =
    causes.length === 1
      ? `${head}${causes[0].field}: ${causes[0].message}`
      : `${head}\n${causes.map((c) => `* ${c.field}: ${c.message}`).join('\n')}`;
  return new StatusError('Invalid', msg, { kind, name, causes });
}

/** Text kubectl prints for an error (without the trailing newline). */
export function formatError(err: unknown): string {
  if (err instanceof StatusError) {
    if (err.reason === 'Invalid') return err.message;
    return `Error from server (${err.reason}): ${err.message}`;
  }
  if (err instanceof CliError) return err.raw ? err.message : `error: ${err.message}`;
  const m = err instanceof Error ? err.message : String(err);
  return m.startsWith('error: ') ? m : `error: ${m}`;
}
