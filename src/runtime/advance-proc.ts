// One program of a container run forward to `until` within the invocation's step budget: a steady
// loop is first fast-forwarded (steady-loop.ts), then what is left is stepped. A program out of steps
// skips ahead past the whole catch-up's end, not this timer's (documented cap; a spent budget must
// not wake every program each millisecond).
import type { Cluster } from '../sim/engine.js';
import { step, type StepHost } from './program.js';
import { advanceSteady } from './steady-loop.js';
import { spendSteps, stepsFor } from './step-budget.js';
import { MAX_STEPS, STEP_COST_MS, type ContainerRt, type Proc } from './state.js';

export async function advanceProc(c: Cluster, proc: Proc, ct: ContainerRt, until: number, host: StepHost, extra: () => Promise<unknown>, write: (path: string, text: string, append: boolean) => Promise<void>): Promise<void> {
  // the steps a steady loop's fast-forward took (run or written from its template) count as stepping's
  const pre = proc.steady ? await advanceSteady(proc, ct, until, host, extra, { cap: Math.min(MAX_STEPS, stepsFor(c, proc)), write }) : 0;
  const budget = stepsFor(c, proc) - pre;
  const n = pre + (budget > 0 && pre < MAX_STEPS ? await step(proc, until, host, Math.min(MAX_STEPS - pre, budget)) : 0);
  if (n > 0) c.work++;
  const left = spendSteps(c, proc, n);
  if (proc.wakeAt !== undefined && proc.wakeAt <= until && (n >= MAX_STEPS || left <= 0)) proc.wakeAt = Math.max(until, c.target) + STEP_COST_MS;
}
