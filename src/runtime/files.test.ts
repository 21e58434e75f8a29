import { describe, expect, it } from 'vitest';
import { justBash } from './shell.js';
import { decodeEntry, encodeEntry, loadFs, snapshot, type Entry } from './files.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('stored file entries', () => {
  it('keeps UTF-8 text as plain strings and everything else tagged', () => {
    expect(encodeEntry({ type: 'file', data: Buffer.from('café\n'), mode: 0o644 })).toBe('café\n');
    expect(encodeEntry({ type: 'file', data: bytes(0xff, 0x00, 0x41), mode: 0o644 })).toBe('\0b64:/wBB');
    // text that starts with NUL could be taken for a tag: stored as base64
    expect(encodeEntry({ type: 'file', data: bytes(0, 0x41), mode: 0o644 })).toBe('\0b64:AEE=');
    expect(encodeEntry({ type: 'file', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 })).toBe('\0file:755:utf8:#!/bin/sh\n');
    expect(encodeEntry({ type: 'file', data: bytes(0xfe), mode: 0o600 })).toBe('\0file:600:b64:/g==');
    expect(encodeEntry({ type: 'dir', mode: 0o755 })).toBe('\0dir');
    expect(encodeEntry({ type: 'dir', mode: 0o700 })).toBe('\0dir:700');
    expect(encodeEntry({ type: 'symlink', target: '../x' })).toBe('\0link:../x');
  });

  it('decodes what it encodes', () => {
    const entries: Entry[] = [
      { type: 'file', data: Buffer.from('plain'), mode: 0o644 },
      { type: 'file', data: Buffer.from([0, 1, 2, 255]), mode: 0o644 },
      { type: 'file', data: Buffer.from('x:utf8:b64:'), mode: 0o4755 },
      { type: 'dir', mode: 0o1777 },
      { type: 'symlink', target: '/etc/ssl' },
    ];
    for (const e of entries) {
      const d = decodeEntry(encodeEntry(e));
      if (e.type === 'file' && d.type === 'file') expect({ ...d, data: [...d.data] }).toEqual({ ...e, data: [...e.data] });
      else expect(d).toEqual(e);
    }
  });

  it('loads and snapshots filesystems with links as links', async () => {
    const jb = await justBash();
    const fs = await loadFs(jb, { '/d': '\0dir', '/d/up': '\0link:..', '/d/b': '\0b64:/wA=', '/d/t': 'hi\n', '/d/gone': null });
    expect(await fs.readlink('/d/up')).toBe('..');
    expect([...(await fs.readFileBuffer('/d/b'))]).toEqual([0xff, 0]);
    const snap = await snapshot(fs);
    expect(snap.get('/d/up')).toBe('\0link:..');
    expect(snap.get('/d/b')).toBe('\0b64:/wA=');
    expect(snap.get('/d/t')).toBe('hi\n');
    expect(snap.has('/d/gone')).toBe(false);
  });
});
