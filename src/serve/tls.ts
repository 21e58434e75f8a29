// `kubesim serve --tls`: a self-signed certificate (ECDSA P-256, its own CA) for 127.0.0.1, ::1 and
// localhost, made with node:crypto and a small DER writer, kept in $KUBESIM_HOME/serve-tls.json and
// reused while valid; the kubeconfig's `kubesim` cluster carries it as certificate-authority-data.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsMaterial {
  cert: string;
  key: string;
}

const der = (tag: number, body: Buffer): Buffer => {
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const int = (b: Buffer) => der(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const oid = (text: string): Buffer => {
  const [a, b, ...rest] = text.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const enc = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) enc.unshift((v & 0x7f) | 0x80);
    bytes.push(...enc);
  }
  return der(0x06, Buffer.from(bytes));
};
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const time = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));
const bool = (v: boolean) => der(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => der(0x04, b);
const bits = (b: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), b]));

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function name(cn: string): Buffer {
  return seq(set(seq(oid('2.5.4.10'), utf8('kubesim'))), set(seq(oid('2.5.4.3'), utf8(cn))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** A self-signed CA certificate that also serves 127.0.0.1, ::1 and localhost. */
function makeCertificate(now: Date): TlsMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  const san = seq(der(0x82, Buffer.from('localhost')), der(0x87, Buffer.from([127, 0, 0, 1])), der(0x87, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])));
  const extensions = der(
    0xa3,
    seq(
      extension('2.5.29.15', true, bits(Buffer.from([0xa4]))), // digitalSignature, keyEncipherment, keyCertSign
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
      extension('2.5.29.19', true, seq(bool(true))), // CA
      extension('2.5.29.17', false, san),
    ),
  );
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = seq(der(0xa0, int(Buffer.from([2]))), int(serial), ECDSA_SHA256, name('kubesim-serve-ca'), seq(time(notBefore), time(notAfter)), name('kubesim-serve-ca'), spki, extensions);
  const signature = sign('sha256', tbs, privateKey);
  const certDer = seq(tbs, ECDSA_SHA256, bits(signature));
  const pem = (label: string, b: Buffer) => `-----BEGIN ${label}-----\n${b.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
  return { cert: pem('CERTIFICATE', certDer), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** The server's certificate and key: the one kept in `home` while it has a month left, else a new one. */
export function tlsMaterial(home: string, now: Date): TlsMaterial {
  const file = join(home, 'serve-tls.json');
  if (existsSync(file)) {
    try {
      const kept = JSON.parse(readFileSync(file, 'utf8')) as TlsMaterial & { notAfter: string };
      createPublicKey(kept.cert);
      createPrivateKey(kept.key);
      if (Date.parse(kept.notAfter) - now.getTime() > 30 * 24 * 3600_000) return kept;
    } catch {
      /* made again */
    }
  }
  const made = makeCertificate(now);
  writeFileSync(file, JSON.stringify({ ...made, notAfter: new Date(now.getTime() + 365 * 24 * 3600_000).toISOString() }), { mode: 0o600 });
  return made;
}
