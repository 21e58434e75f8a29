// Runs kubesim in-process for tests: a temp KUBESIM_HOME, a fixed wall clock, captured streams.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { packContents, packGen, segmentText } from '../src/store/packs.js';
import { readSegmentText } from '../src/store/file-store.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main.js';
import type { IO } from '../src/cli/io.js';

export const T0 = Date.parse('2026-11-22T21:00:00Z');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export class Sandbox {
  readonly home: string;
  wall = T0;
  readonly cwd: string;

  constructor(cwd?: string) {
    this.home = mkdtempSync(join(tmpdir(), 'kubesim-test-'));
    this.cwd = cwd ?? this.home;
  }

  async run(argv: string[], stdin = '', env: Record<string, string> = {}): Promise<RunResult> {
    return this.runWith(argv, { stdin, env });
  }

  /** Runs on a terminal whose user types `lines` (one per prompt; end of input after the last). */
  async terminal(argv: string[], lines: string[]): Promise<RunResult> {
    const typed = [...lines];
    return this.runWith(argv, { stdinIsTTY: true, readLine: async () => typed.shift() });
  }

  private async runWith(argv: string[], opts: { stdin?: string; env?: Record<string, string>; stdinIsTTY?: boolean; readLine?: IO['readLine'] }): Promise<RunResult> {
    const stdin = opts.stdin ?? '';
    const env = opts.env ?? {};
    let stdout = '';
    let stderr = '';
    const io: IO = {
      stdout: { write: (s) => void (stdout += s) },
      stderr: { write: (s) => void (stderr += s) },
      readStdin: async () => stdin,
      env: { KUBESIM_HOME: this.home, HOME: this.home, ...env },
      cwd: this.cwd,
      wallNow: () => this.wall,
      pid: 4242,
      sleep: async (ms) => {
        this.wall += ms;
      },
      ...(opts.stdinIsTTY ? { stdinIsTTY: true } : {}),
      ...(opts.readLine ? { readLine: opts.readLine } : {}),
    };
    const code = await main(argv, io);
    return { stdout, stderr, code };
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** A pod's READY STATUS RESTARTS cells, as `get pod NAME --no-headers` prints them. */
export async function podStatus(sb: Sandbox, pod: string): Promise<string> {
  const r = await sb.run(['get', 'pod', pod, '--no-headers']);
  return r.stdout.trim().split(/\s+/).slice(1, 4).join(' ');
}

/** The text of a store as kept on disk: the manifest and every segment file (for "is it kept as…" checks). */
export function storeText(home: string): string {
  const seg = join(home, 'store.d');
  const text = (n: string): string => {
    if (packGen(n) !== undefined) return [...(packContents(join(seg, n)) ?? [])].map(([, b]) => segmentText(b)).join('\n');
    return readSegmentText(join(seg, n));
  };
  const parts = existsSync(seg) ? readdirSync(seg).sort().map(text) : [];
  return [readFileSync(join(home, 'store.json'), 'utf8'), ...parts].join('\n');
}
