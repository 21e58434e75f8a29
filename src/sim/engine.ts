// The deterministic discrete-event loop. Each invocation loads the store, runs every timer due up to
// "now" (controllers react to API changes by scheduling timers), runs the verb, and saves.
import { ApiServer, type ApiHost, type ChangeEvent } from '../api/server.js';
import type { KObj } from '../api/types.js';
import type { StoreState, Timer } from '../store/state.js';
import { valuesOf } from '../store/sharded.js';
import { isoTime } from './clock.js';
import { nextRandom, randomString, randomUid } from './random.js';

export interface Controller {
  name: string;
  /** reacts to an API change, typically by scheduling timers */
  onChange?(c: Cluster, ev: ChangeEvent): void;
  /** timer handlers by timer type */
  timers?: Record<string, (c: Cluster, t: Timer) => void | Promise<void>>;
  /** runs once after a catch-up (cheap housekeeping) */
  afterRun?(c: Cluster): void;
}

const controllers: Controller[] = [];
const handlers = new Map<string, (c: Cluster, t: Timer) => void | Promise<void>>();

export function registerController(ctrl: Controller): void {
  if (controllers.some((c) => c.name === ctrl.name)) return;
  controllers.push(ctrl);
  for (const [type, fn] of Object.entries(ctrl.timers ?? {})) handlers.set(type, fn);
}

/** Inert timers left at the queue's start are cut off once there are this many (see runUntil). */
const SPENT_CUT = 1024;

/** Upper bound of timers run in one catch-up, so a long idle period stays cheap. */
export const MAX_TIMERS_PER_RUN = 2_000_000;

export class Cluster implements ApiHost {
  readonly api: ApiServer;
  private current: number;
  /** timers run in this invocation (a reader that ran some may save its catch-up) */
  timersRun = 0;
  /** simulation work done outside timers (programs run up to now because someone looked): saved like timers' */
  work = 0;
  /** where the running catch-up is heading (periodic work far behind it may skip ahead) */
  target = 0;
  /** per-invocation indexes controllers build lazily (never persisted) */
  readonly memo = new Map<string, unknown>();

  constructor(readonly state: StoreState) {
    this.api = new ApiServer(this);
    this.current = state.simTime;
  }

  now(): number {
    return this.current;
  }

  isoNow(): string {
    return isoTime(this.current);
  }

  uid(): string {
    return randomUid(this.state);
  }

  randomSuffix(n: number): string {
    return randomString(this.state, n);
  }

  randomInt(n: number): number {
    return Math.floor(nextRandom(this.state) * n);
  }

  listAll(resource: string): KObj[] {
    return valuesOf(this.state.objects[resource]);
  }

  notify(ev: ChangeEvent): void {
    for (const c of controllers) c.onChange?.(this, ev);
  }

  /** Schedules work `delayMs` after the current simulated time. */
  schedule(delayMs: number, type: string, key: string, data?: Record<string, unknown>): void {
    const t: Timer = { at: this.current + Math.max(0, delayMs), seq: ++this.state.timerSeq, type, key };
    if (data) t.data = data;
    const timers = this.state.timers;
    // most timers are due after every pending one: appended
    if (!timers.length || timers[timers.length - 1].at <= t.at) {
      timers.push(t);
      return;
    }
    let lo = 0;
    let hi = timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timers[mid].at <= t.at) lo = mid + 1;
      else hi = mid;
    }
    timers.splice(lo, 0, t);
  }

  /** Drops pending timers for an object (optionally of one type). */
  cancel(key: string, type?: string): void {
    // in place: a running catch-up holds this array, and timers scheduled after a cancel must reach it
    const timers = this.state.timers;
    let kept = 0;
    for (const t of timers) if (t.key !== key || (type !== undefined && t.type !== type)) timers[kept++] = t;
    timers.length = kept;
  }

  hasTimer(key: string, type: string): boolean {
    return this.state.timers.some((t) => t.key === key && t.type === type);
  }

  /** Runs everything due up to `target` (simulated ms), then moves the simulation's time there. */
  async runUntil(target: number): Promise<void> {
    let budget = MAX_TIMERS_PER_RUN;
    this.target = Math.max(target, this.current);
    const timers = this.state.timers;
    // Timers run are replaced in place by inert ones (no type, no key: nothing finds them) and cut off
    // in one splice now and then: shifting each off a long queue moved the whole array every time (V8
    // cannot move an array's start while compile jobs are pending), 50 ms for 7,000 timers. Timers
    // scheduled meanwhile go after the inert ones (they are due no later than now), so every pending
    // timer stays past `head` whatever the handlers insert, cancel or splice.
    let head = 0;
    try {
      while (head < timers.length && timers[head].at <= target && budget-- > 0) {
        const t = timers[head];
        timers[head++] = { at: t.at, seq: 0, type: '', key: '' };
        if (head >= SPENT_CUT) {
          timers.splice(0, head);
          head = 0;
        }
        this.timersRun++;
        if (t.at > this.current) this.current = t.at;
        await handlers.get(t.type)?.(this, t);
      }
    } finally {
      timers.splice(0, head);
    }
    if (target > this.current) this.current = target;
    this.state.simTime = this.current;
    for (const c of controllers) c.afterRun?.(this);
  }
}
