// How many steps programs may take in one invocation. All programs together share MAX_STEPS_PER_RUN,
// so a catch-up over many busy programs stays bounded (a program out of steps skips ahead to the
// catch-up's end); a program's first steps after it starts are its own, so a short-lived program (a
// crash-looping `exit 1`, restarted by the hundred in one catch-up) always gets to end.
import type { Cluster } from '../sim/engine.js';
import { MAX_STEPS_PER_RUN, type Proc } from './state.js';

/** Steps a program may take after it starts, outside the shared budget. */
const FRESH_STEPS = 50;

function fresh(c: Cluster): WeakMap<Proc, number> {
  let m = c.memo.get('runtime/fresh-steps') as WeakMap<Proc, number> | undefined;
  if (!m) c.memo.set('runtime/fresh-steps', (m = new WeakMap()));
  return m;
}

/** A program (re)started now: its first steps are its own. */
export function grantFreshSteps(c: Cluster, proc: Proc): void {
  fresh(c).set(proc, FRESH_STEPS);
}

/** Steps the program may take now. */
export function stepsFor(c: Cluster, proc: Proc): number {
  return Math.max(0, ((c.memo.get('runtime/steps') as number | undefined) ?? MAX_STEPS_PER_RUN)) + (fresh(c).get(proc) ?? 0);
}

/** Takes `n` steps (its own first); what is left of the shared budget. */
export function spendSteps(c: Cluster, proc: Proc, n: number): number {
  const own = fresh(c).get(proc) ?? 0;
  const fromOwn = Math.min(own, n);
  if (own) fresh(c).set(proc, own - fromOwn);
  const left = ((c.memo.get('runtime/steps') as number | undefined) ?? MAX_STEPS_PER_RUN) - (n - fromOwn);
  c.memo.set('runtime/steps', left);
  return left + (own - fromOwn);
}
