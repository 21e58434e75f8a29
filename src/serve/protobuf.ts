// Protobuf request bodies (application/vnd.kubernetes.protobuf), which the real kubectl's typed
// clients send (`kubectl create configmap|secret|deployment|job|…`): the `k8s\0` envelope around a
// runtime.Unknown whose raw bytes are the object's message, decoded to the JSON the same Go value
// would encode to (field names and numbers from schemas/proto-fields.json, generated from the
// generated.proto files by src/tools/gen-proto-fields.mjs). Zero scalars are what Go's omitempty
// leaves out; the pointer fields where an explicit zero means something keep theirs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';

/** field number → [json name, type, repeated?] per message */
type Fields = Record<string, Record<string, [string, string, number?]>>;

declare const __dirname: string | undefined;
let fields: Fields | undefined;

function load(): Fields {
  if (fields) return fields;
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(join(__dirname, '..', '..', 'schemas', 'proto-fields.json'));
  let dir = process.cwd();
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'schemas', 'proto-fields.json'));
    dir = dirname(dir);
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('schemas/proto-fields.json is missing');
  return (fields = JSON.parse(readFileSync(found, 'utf8')) as Fields);
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
/** Go's zero time.Time as seconds since the Unix epoch (0001-01-01T00:00:00Z). */
const ZERO_TIME = -62135596800;

/** Pointer fields whose explicit zero or false differs from leaving them out. */
const KEEP_ZERO = new Set([
  'replicas', 'parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'terminationGracePeriodSeconds', 'ttlSecondsAfterFinished',
  'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'startingDeadlineSeconds', 'revisionHistoryLimit', 'runAsUser', 'runAsGroup', 'fsGroup',
  'expirationSeconds', 'defaultMode', 'mode', 'minAvailable', 'maxUnavailable', 'maxSurge', 'suspend', 'automountServiceAccountToken',
  'enableServiceLinks', 'immutable', 'optional', 'allowPrivilegeEscalation', 'privileged', 'runAsNonRoot', 'readOnlyRootFilesystem', 'hostUsers',
  'setHostnameAsFQDN', 'shareProcessNamespace', 'gracePeriodSeconds', 'orphanDependents', 'allocateLoadBalancerNodePorts', 'ready', 'serving', 'terminating',
]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  }

  bytes(): Buffer {
    const n = Number(this.varint());
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function scalar(type: string, wire: number, r: Reader): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'uint32':
    case 'uint64':
      return Number(r.varint());
    case 'double': {
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    case 'float': {
      const v = r.buf.readFloatLE(r.pos);
      r.pos += 4;
      return v;
    }
    default:
      r.skip(wire);
      return undefined;
  }
}

function rfc3339(raw: Record<string, unknown>, micro: boolean): string | null {
  // a zero time.Time is marshalled as an empty message
  if (raw.seconds === undefined && raw.nanos === undefined) return null;
  const seconds = Number(raw.seconds ?? 0);
  const nanos = Number(raw.nanos ?? 0);
  if (seconds === ZERO_TIME && !nanos) return null;
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let s = Math.abs(ns) / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const secs = `${Number(s.toFixed(9))}s`;
  return `${neg ? '-' : ''}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${secs}`;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || v === undefined;
}

/** One message's bytes as the JSON of its Go value. */
function message(type: string, buf: Buffer): unknown {
  const r = new Reader(buf);
  const raw: Record<string, unknown> = {};
  const def = load()[type];
  if (!def) throw new Error(`unknown message ${type}`);
  while (!r.done) {
    const key = Number(r.varint());
    const num = String(key >> 3);
    const wire = key & 7;
    const f = def[num];
    if (!f) {
      r.skip(wire);
      continue;
    }
    const [name, ftype, repeated] = f;
    let value: unknown;
    const map = /^map<([^,]+),(.+)>$/.exec(ftype);
    if (map) {
      const entry = new Reader(r.bytes());
      let k: unknown = '';
      let v: unknown = map[2] === 'string' || map[2] === 'bytes' ? '' : undefined;
      while (!entry.done) {
        const ek = Number(entry.varint());
        const ew = ek & 7;
        if (ek >> 3 === 1) k = scalar(map[1], ew, entry);
        else if (ek >> 3 === 2) v = map[2].includes('.') ? message(map[2], entry.bytes()) : scalar(map[2], ew, entry);
        else entry.skip(ew);
      }
      const obj = (raw[name] ??= {}) as Record<string, unknown>;
      obj[String(k)] = v;
      continue;
    }
    if (ftype.includes('.')) value = message(ftype, r.bytes());
    else if (wire === 2 && !['string', 'bytes'].includes(ftype)) {
      // packed repeated scalars
      const packed = new Reader(r.bytes());
      const list = (raw[name] ??= []) as unknown[];
      while (!packed.done) list.push(scalar(ftype, ftype === 'double' ? 1 : ftype === 'float' ? 5 : 0, packed));
      continue;
    } else value = scalar(ftype, wire, r);
    if (repeated) ((raw[name] ??= []) as unknown[]).push(value);
    else raw[name] = value;
  }
  return special(type, raw);
}

/** The messages whose JSON is not an object of their fields (times, quantities, int-or-string…). */
function special(type: string, raw: Record<string, unknown>): unknown {
  switch (type) {
    case `${META}.Time`:
      return rfc3339(raw, false);
    case `${META}.MicroTime`:
      return rfc3339(raw, true);
    case `${META}.Duration`:
      return goDuration(Number(raw.duration ?? 0));
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return raw.string ?? '0';
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return Number(raw.type ?? 0) === 1 ? raw.strVal ?? '' : raw.intVal ?? 0;
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension': {
      const text = raw.raw === undefined ? '' : Buffer.from(String(raw.raw), 'base64').toString('utf8');
      return text ? JSON.parse(text) : null;
    }
    default: {
      const out: KObj = {};
      for (const [k, v] of Object.entries(raw)) {
        if (isZero(v) && !KEEP_ZERO.has(k)) continue;
        out[k] = v;
      }
      return out;
    }
  }
}

/** The proto message of a group/version/kind: k8s.io.api.<group's first label or core>.<version>.<Kind>. */
function messageOf(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = apiVersion.slice(slash + 1);
  const pkg = group === '' ? 'core' : group.split('.')[0];
  const name = group === 'meta.k8s.io' ? `${META}.${kind}` : `k8s.io.api.${pkg}.${version}.${kind}`;
  return load()[name] ? name : undefined;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A protobuf request body as the JSON object it stands for; a BadRequest when it cannot be read. */
export function decodeProtobuf(body: Buffer): KObj {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new StatusError('BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  try {
    const unknown = message('k8s.io.apimachinery.pkg.runtime.Unknown', body.subarray(4)) as KObj;
    const tm = (unknown.typeMeta ?? {}) as KObj;
    const apiVersion = String(tm.apiVersion ?? '');
    const kind = String(tm.kind ?? '');
    const type = messageOf(apiVersion, kind);
    if (!type) throw new StatusError('BadRequest', `no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/runtime/scheme.go:100"`);
    const obj = message(type, Buffer.from(String(unknown.raw ?? ''), 'base64')) as KObj;
    return { kind, apiVersion, ...obj };
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw new StatusError('BadRequest', `unable to decode protobuf body: ${(e as Error).message}`);
  }
}
