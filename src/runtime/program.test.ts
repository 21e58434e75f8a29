import { describe, expect, it } from 'vitest';
import { parse, serialize } from 'just-bash';
import { compile, sleepMs, step, type StepHost } from './program.js';
import type { Proc } from './state.js';

const jb = { parse: parse as never, serialize: serialize as never };

function fakeHost(log: string[]): StepHost & { exited?: { code: number; t: number } } {
  const h: StepHost & { exited?: { code: number; t: number } } = {
    run: async (_p, text, t) => {
      log.push(`${t}:${text}`);
      const m = /^false|exit/.test(text);
      return { stdout: text.startsWith('printf') ? 'a\nb\n' : '', stderr: '', exitCode: m ? 1 : 0, elapsedMs: 0 };
    },
    output: () => undefined,
    daemon: async (_p, text) => void log.push(`daemon:${text}`),
    exit: (_p, code, t) => void (h.exited = { code, t }),
  };
  return h;
}

describe('compile', () => {
  it('marks an endless loop without exits as steady', () => {
    expect(compile(jb, 'while true; do date >> /f; sleep 1; done').steady).toBe(true);
    expect(compile(jb, 'while true; do date; sleep 1; exit 2; done').steady).toBe(false);
    expect(compile(jb, 'for i in 1 2; do echo $i; done').steady).toBe(false);
  });

  it('recognises long-running programs at the end of a chain', () => {
    const ops = compile(jb, 'echo c1 > index.html && python -m http.server 8082').ops;
    expect(ops.map((o) => o.op)).toEqual(['exec', 'jump', 'daemon']);
  });
});

describe('step', () => {
  it('advances a loop one iteration per simulated second and stops at the horizon', async () => {
    const log: string[] = [];
    const { ops } = compile(jb, 'while true; do date >> /f; sleep 1; done');
    const proc: Proc = { pid: 1, argv: [], user: 'root', startedAt: 0, ops, pc: 0, wakeAt: 0 };
    await step(proc, 2500, fakeHost(log), 1000);
    expect(log).toEqual(['0:date >> /f', '1000:date >> /f', '2000:date >> /f']);
    expect(proc.wakeAt).toBe(3000);
  });

  it('runs a for loop over its words and ends with the last status', async () => {
    const log: string[] = [];
    const host = fakeHost(log);
    const { ops } = compile(jb, 'for x in $(seq 2); do echo $x; sleep 1; done; exit 3');
    const proc: Proc = { pid: 1, argv: [], user: 'root', startedAt: 0, ops, pc: 0, wakeAt: 0, env: {} };
    await step(proc, 10_000, host, 1000);
    expect(host.exited).toEqual({ code: 3, t: 2000 });
  });

  it('parses sleep durations', () => {
    expect(sleepMs('1')).toBe(1000);
    expect(sleepMs('0.5')).toBe(500);
    expect(sleepMs('2m')).toBe(120_000);
    expect(sleepMs('infinity')).toBeUndefined();
    expect(sleepMs('abc')).toBeNaN();
  });
});
