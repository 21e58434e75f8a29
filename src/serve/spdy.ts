// A small SPDY/3.1 server session, as kubectl's port-forward speaks it (tunneled in a WebSocket):
// SYN_STREAM accepted with a SYN_REPLY, data frames both ways (FIN), PING echoed, RST_STREAM and
// GOAWAY honoured; name/value header blocks compressed with zlib and the protocol's dictionary, one
// compression context per direction for the whole session.
import { createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';

/** zlib.constants.Z_SYNC_FLUSH (zlib is loaded on first use: only its functions are imported) */
const Z_SYNC_FLUSH = 2;

/** The SPDY/3 header dictionary: the protocol's words, each with its 32-bit length, then its tail text. */
function dictionary(): Buffer {
  const words = [
    'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'accept-ranges', 'age', 'allow',
    'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding', 'content-language', 'content-length', 'content-location',
    'content-md5', 'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since',
    'if-none-match', 'if-range', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate',
    'proxy-authorization', 'range', 'referer', 'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via',
    'warning', 'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin',
  ];
  const tail =
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 Non-Authoritative Information204 No Content' +
    '301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
    'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,' +
    'application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  const parts: Buffer[] = [];
  for (const w of words) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length, 0);
    parts.push(len, Buffer.from(w, 'latin1'));
  }
  parts.push(Buffer.from(tail, 'latin1'));
  return Buffer.concat(parts);
}

const DICT = dictionary();

export interface SpdyStream {
  id: number;
  headers: Record<string, string>;
  write(data: Buffer | string): void;
  /** half-closes our side (FIN) */
  end(): void;
  onData(fn: (data: Buffer) => void): void;
  /** the client half-closed or reset the stream */
  onEnd(fn: () => void): void;
}

/** Runs data through a zlib stream with a sync flush and returns what came out. */
function pump(z: Inflate | Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const onData = (d: Buffer) => out.push(d);
    z.on('data', onData);
    z.once('error', reject);
    z.write(input);
    z.flush(Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', reject);
      resolve(Buffer.concat(out));
    });
  });
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(payload.length, 4);
  head[4] = flags;
  return Buffer.concat([head, payload]);
}

function dataFrame(id: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(id & 0x7fffffff, 0);
  head.writeUInt32BE(payload.length, 4);
  head[4] = flags;
  return Buffer.concat([head, payload]);
}

function parseHeaders(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 4;
  const n = block.readUInt32BE(0);
  for (let i = 0; i < n && at < block.length; i++) {
    const nl = block.readUInt32BE(at);
    const name = block.subarray(at + 4, at + 4 + nl).toString('latin1').toLowerCase();
    at += 4 + nl;
    const vl = block.readUInt32BE(at);
    out[name] = block.subarray(at + 4, at + 4 + vl).toString('latin1');
    at += 4 + vl;
  }
  return out;
}

export class SpdySession {
  private buf = Buffer.alloc(0);
  private readonly inflate = createInflate({ dictionary: DICT });
  private readonly deflate = createDeflate({ dictionary: DICT });
  private chain: Promise<void> = Promise.resolve();
  private streams = new Map<number, { data: ((d: Buffer) => void)[]; end: (() => void)[]; ended: boolean }>();
  closed = false;

  constructor(
    private readonly send: (bytes: Buffer) => void,
    private readonly onStream: (s: SpdyStream) => void,
  ) {}

  /** Bytes from the client, in order. */
  feed(bytes: Buffer): void {
    this.buf = Buffer.concat([this.buf, bytes]);
    for (;;) {
      if (this.buf.length < 8) return;
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) return;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.chain = this.chain.then(() => this.frame(frame)).catch(() => this.close());
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) if (!s.ended) s.end.forEach((f) => f());
    this.inflate.close();
    this.deflate.close();
  }

  private async frame(f: Buffer): Promise<void> {
    const flags = f[4];
    const payload = f.subarray(8);
    if (!(f[0] & 0x80)) {
      const id = f.readUInt32BE(0) & 0x7fffffff;
      const s = this.streams.get(id);
      if (!s) return;
      if (payload.length) {
        s.data.forEach((fn) => fn(Buffer.from(payload)));
        // give the client its window back
        const wu = Buffer.alloc(8);
        wu.writeUInt32BE(id, 0);
        wu.writeUInt32BE(payload.length, 4);
        this.send(control(9, 0, wu));
      }
      if (flags & 1) this.finish(id);
      return;
    }
    const type = f.readUInt16BE(2);
    if (type === 1) {
      const id = payload.readUInt32BE(0) & 0x7fffffff;
      const headers = parseHeaders(await pump(this.inflate, payload.subarray(10)));
      const rec = { data: [] as ((d: Buffer) => void)[], end: [] as (() => void)[], ended: false };
      this.streams.set(id, rec);
      const idBuf = Buffer.alloc(4);
      idBuf.writeUInt32BE(id, 0);
      const empty = await pump(this.deflate, Buffer.alloc(4));
      this.send(control(2, 0, Buffer.concat([idBuf, empty])));
      let ours = false;
      this.onStream({
        id,
        headers,
        write: (d) => {
          if (!ours && !this.closed) this.send(dataFrame(id, 0, Buffer.isBuffer(d) ? d : Buffer.from(d)));
        },
        end: () => {
          if (ours || this.closed) return;
          ours = true;
          this.send(dataFrame(id, 1, Buffer.alloc(0)));
        },
        onData: (fn) => void rec.data.push(fn),
        onEnd: (fn) => void rec.end.push(fn),
      });
      if (flags & 1) this.finish(id);
    } else if (type === 3) this.finish(payload.readUInt32BE(0) & 0x7fffffff);
    else if (type === 6) this.send(control(6, 0, payload));
    else if (type === 7) this.close();
  }

  private finish(id: number): void {
    const s = this.streams.get(id);
    if (!s || s.ended) return;
    s.ended = true;
    s.end.forEach((fn) => fn());
  }
}
