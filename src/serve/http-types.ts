// The request and response shapes the server's handlers share, and Status objects for errors.
import { CliError, StatusError, type Cause } from '../api/errors.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { goJson } from '../printers/wire-json.js';

export interface ApiRequest {
  method: string;
  /** the URL path, decoded, without the query */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Where a streamed answer (watch, log follow) writes; `closed` turns true when the client went away. */
export interface Sink {
  write(s: string): void;
  readonly closed: boolean;
  /** resolves when the client goes away */
  readonly gone: Promise<void>;
}

export interface ApiResponse {
  status: number;
  body: string;
  type: string;
  headers?: Record<string, string | string[]>;
  /** a streamed (chunked) body, written after `body` until the promise settles */
  stream?: (sink: Sink) => Promise<void>;
}

export const JSON_TYPE = 'application/json';

export function json(status: number, obj: unknown, headers?: Record<string, string | string[]>): ApiResponse {
  return { status, body: `${goJson(obj)}\n`, type: JSON_TYPE, headers };
}

/** A body already serialized (wireObject / wireList). */
export function raw(status: number, body: string, type = JSON_TYPE): ApiResponse {
  return { status, body, type };
}

/** The mux's answer to a path nobody serves (a plain-text 404, as the real server sends). */
export function pageNotFound(): ApiResponse {
  return { status: 404, body: '404 page not found\n', type: 'text/plain; charset=utf-8', headers: { 'X-Content-Type-Options': 'nosniff' } };
}

/** field.ErrorType of a cause, from the text its message starts with. */
function causeReason(message: string): string {
  const map: [string, string][] = [
    ['Required value', 'FieldValueRequired'],
    ['Invalid value', 'FieldValueInvalid'],
    ['Unsupported value', 'FieldValueNotSupported'],
    ['Duplicate value', 'FieldValueDuplicate'],
    ['Forbidden', 'FieldValueForbidden'],
    ['Too long', 'FieldValueTooLong'],
    ['Too many', 'FieldValueTooMany'],
    ['Not found', 'FieldValueNotFound'],
    ['Internal error', 'InternalError'],
  ];
  return map.find(([p]) => message.startsWith(p))?.[1] ?? 'FieldValueInvalid';
}

/** The causes' messages as the server sends them: without the `Invalid value: ` kind prefix text kept whole. */
function wireCause(c: Cause): KObj {
  return { reason: causeReason(c.message), message: c.message, field: c.field };
}

/** A failure as a metav1.Status (reason, code, message and details naming the resource). */
export function statusOf(err: unknown, def?: ResourceDef): ApiResponse {
  if (err instanceof StatusError && /^Unable to find "[^"]*" that match label selector "[^"]*", field selector "[^"]*": /.test(err.message)) {
    // the API layer's text is what kubectl prints: kubectl adds this prefix to the server's message itself
    err = new StatusError(err.reason, err.message.replace(/^Unable to find "[^"]*" that match label selector "[^"]*", field selector "[^"]*": /, ''), err.details);
  }
  if (err instanceof StatusError) {
    const details: KObj = {};
    const d = err.details;
    if (d?.name !== undefined) details.name = d.name;
    if (def && (d?.name !== undefined || d?.causes)) {
      if (def.group) details.group = def.group;
      details.kind = err.reason === 'Invalid' ? d?.kind ?? def.kind : def.plural;
    }
    if (d?.causes?.length) details.causes = d.causes.map(wireCause);
    // the API server's text of an Invalid error names the qualified kind (`Deployment.apps "x" is invalid: …`,
    // several causes as a list); kubectl's CheckErr rebuilds its `The Deployment "x" is invalid` from the details
    let message = err.message;
    if (err.reason === 'Invalid' && d?.kind && d.name !== undefined && d.causes?.length) {
      const group = def && def.kind === d.kind ? def.group : '';
      const causes = d.causes.map((c) => `${c.field}: ${c.message}`);
      message = `${d.kind}${group ? `.${group}` : ''} "${d.name}" is invalid: ${causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`}`;
    }
    const st: KObj = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: err.reason };
    if (Object.keys(details).length) st.details = details;
    st.code = err.code;
    return json(err.code, st);
  }
  if (err instanceof CliError) return failure(400, 'BadRequest', err.message);
  const m = err instanceof Error ? err.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${m}`);
}

export function failure(code: number, reason: string, message: string, details?: KObj): ApiResponse {
  const st: KObj = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) st.details = details;
  st.code = code;
  return json(code, st);
}

export function badRequest(message: string): StatusError {
  return new StatusError('BadRequest', message);
}
