// The one way a verb waits for the cluster (rollout status, wait, delete --wait, drain, run -i…).
// With a frozen clock nothing moves by itself, so the wait runs the simulation forward, timer by
// timer, until the condition holds or the timeout has passed in simulated time, and saves the clock
// where it stopped (the wait took that long). With the clock following wall time it polls the store
// in wall time while other commands (or nothing but time) move the simulation.
import type { Cluster } from '../sim/engine.js';
import type { Parsed } from './flags.js';
import type { IO } from './io.js';
import { withCluster } from './session.js';

/** A frozen-clock wait without a timeout gives up after this much simulated time. */
export const FROZEN_WAIT_CAP_MS = 60 * 60_000;

/** How often a wall-clock wait looks at the store again. */
export const POLL_MS = 100;

export interface WaitSpec<T> {
  /** looked at after every step of the simulation; a result other than undefined ends the wait */
  check(c: Cluster): T | undefined | Promise<T | undefined>;
  /** milliseconds; Infinity (or 0 from a flag, converted by the caller) waits without a limit */
  timeoutMs: number;
  /** with a frozen clock, the most simulated time the wait may take (default: the timeout, capped) */
  frozenLimitMs?: number;
}

export interface WaitResult<T> {
  value?: T;
  timedOut: boolean;
  /** the clock was frozen (the wait moved simulated time) */
  frozen: boolean;
}

const wallSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs the simulation forward (frozen clock) until `check` holds or `limitMs` of simulated time. */
export async function advanceUntil<T>(c: Cluster, check: (c: Cluster) => T | undefined | Promise<T | undefined>, limitMs: number): Promise<T | undefined> {
  const deadline = c.now() + Math.min(limitMs, FROZEN_WAIT_CAP_MS);
  let value = await check(c);
  while (value === undefined) {
    const next = c.state.timers[0]?.at;
    if (next === undefined || next > deadline) {
      await c.runUntil(deadline);
      value = await check(c);
      break;
    }
    await c.runUntil(next);
    value = await check(c);
  }
  c.state.clock.frozenAt = Math.max(c.state.clock.frozenAt, c.now());
  return value;
}

export async function waitUntil<T>(io: IO, parsed: Parsed | undefined, spec: WaitSpec<T>): Promise<WaitResult<T>> {
  let frozen = false;
  const first = await withCluster(io, parsed, 'read', (s) => {
    frozen = s.cluster.state.clock.mode === 'frozen';
    return spec.check(s.cluster);
  });
  if (first !== undefined) return { value: first, timedOut: false, frozen };
  const limit = spec.timeoutMs > 0 ? spec.timeoutMs : Infinity;
  if (frozen) {
    const value = await withCluster(io, parsed, 'write', async (s) => {
      // another command may have resumed the clock meanwhile: then this one waits in wall time
      if (s.cluster.state.clock.mode !== 'frozen') return undefined;
      return advanceUntil(s.cluster, spec.check, spec.frozenLimitMs ?? limit);
    });
    if (value !== undefined) return { value, timedOut: false, frozen };
    const still = await withCluster(io, parsed, 'read', (s) => s.cluster.state.clock.mode === 'frozen');
    if (still) return { timedOut: true, frozen };
  }
  const sleep = io.sleep ?? wallSleep;
  const started = io.wallNow();
  for (;;) {
    if (io.wallNow() - started >= limit) return { timedOut: true, frozen: false };
    await sleep(Math.min(POLL_MS, Math.max(1, limit - (io.wallNow() - started))));
    const value = await withCluster(io, parsed, 'read', (s) => spec.check(s.cluster));
    if (value !== undefined) return { value, timedOut: false, frozen: false };
  }
}
