// gzip and gunzip of whole buffers for the store's segments, through the zlib engine Node already
// holds, without loading Node's zlib module. That module builds on the stream modules: loading it
// and running its first gunzip costs 3 to 4 ms of a command that reads one compressed pod shard
// (the inflating itself, 0.2 ms). Node's own gzipSync and gunzipSync are a loop over the same
// engine handle (lib/zlib.js, processChunkSync); this is that loop, with the same parameters, so the
// bytes are the same.
// The handle comes from process.binding('zlib') (node-binding.ts); where that is not to be used, or
// the handle is not what this expects, both functions use node:zlib instead.
import { gunzipSync, gzipSync } from 'node:zlib';
import { nodeBinding } from './node-binding.js';

/** zlib's modes and flush values, as in zlib.h and Node's zlib constants */
const GZIP = 3;
const GUNZIP = 4;
const Z_FINISH = 4;
const MAX_OUT = 1 << 30;

interface ZlibHandle {
  init(windowBits: number, level: number, memLevel: number, strategy: number, state: Uint32Array, processed: () => void, dictionary: undefined): void;
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  close(): void;
  onerror?: (message: string, errno: number, code: string) => void;
}
type ZlibCtor = new (mode: number) => ZlibHandle;

let engine: ZlibCtor | null | undefined;

function zlibEngine(): ZlibCtor | null {
  if (engine !== undefined) return engine;
  const ctor = nodeBinding('zlib')?.Zlib;
  engine = typeof ctor === 'function' && typeof (ctor as { prototype?: ZlibHandle }).prototype?.writeSync === 'function' ? (ctor as ZlibCtor) : null;
  // a handle that does not work as this expects (another Node's) leaves the work to node:zlib
  if (engine) {
    try {
      const probe = 'kubesim '.repeat(64);
      if (run(engine, GUNZIP, -1, run(engine, GZIP, 1, Buffer.from(probe), 64), 64).toString('latin1') !== probe) engine = null;
    } catch {
      engine = null;
    }
  }
  return engine;
}

/** Runs all of `input` through a zlib handle in one go (Z_FINISH); what came out. */
function run(Zlib: ZlibCtor, mode: number, level: number, input: Uint8Array, firstOut: number): Buffer {
  const handle = new Zlib(mode);
  const state = new Uint32Array(2);
  let failure: Error | undefined;
  handle.onerror = (message, errno, code) => {
    failure = Object.assign(new Error(message), { errno, code });
  };
  // windowBits 0 lets gunzip take the window from the stream's header, as zlib.gunzipSync does
  handle.init(mode === GUNZIP ? 0 : 15, level, 8, 0, state, () => undefined, undefined);
  const chunks: Buffer[] = [];
  let total = 0;
  let inOff = 0;
  let inLen = input.length;
  let size = firstOut;
  try {
    for (;;) {
      const out = Buffer.allocUnsafe(size);
      handle.writeSync(Z_FINISH, input, inOff, inLen, out, 0, size);
      if (failure) throw failure;
      const [outLeft, inLeft] = state;
      chunks.push(out.subarray(0, size - outLeft));
      total += size - outLeft;
      inOff += inLen - inLeft;
      inLen = inLeft;
      if (outLeft !== 0) break;
      if (total > MAX_OUT) throw new RangeError('Cannot create a Buffer larger than the store allows');
      size = Math.min(size * 2, 1 << 24);
    }
  } finally {
    handle.close();
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** gunzipSync(bytes) */
export function gunzip(bytes: Uint8Array): Buffer {
  const Zlib = zlibEngine();
  return Zlib ? run(Zlib, GUNZIP, -1, bytes, Math.max(16_384, bytes.length * 8)) : gunzipSync(bytes);
}

/** gzipSync(text, { level }) */
export function gzip(text: string | Uint8Array, level: number): Buffer {
  const Zlib = zlibEngine();
  const input = typeof text === 'string' ? Buffer.from(text) : text;
  return Zlib ? run(Zlib, GZIP, level, input, Math.max(1024, input.length >> 2)) : gzipSync(input, { level });
}
