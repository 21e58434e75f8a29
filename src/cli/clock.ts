// kubesim clock [freeze|resume|advance DURATION]: the simulated time shared by every invocation.
import { CliError } from '../api/errors.js';
import { advance, freeze, parseDuration, resume, simNow } from '../sim/clock.js';
import { parseFlags } from './flags.js';
import type { IO } from './io.js';
import { withCluster } from './session.js';

function show(io: IO, ms: number, mode: string): void {
  io.stdout.write(`${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')} (${mode === 'frozen' ? 'frozen' : 'following wall time'})\n`);
}

export default async function clock(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, [], 'clock');
  const [sub, arg] = p.args;
  if (sub === undefined) {
    return withCluster(io, undefined, 'read', (s) => {
      show(io, s.cluster.now(), s.cluster.state.clock.mode);
      return 0;
    });
  }
  if (!['freeze', 'resume', 'advance'].includes(sub)) {
    throw new CliError(`unknown clock command "${sub}": use freeze, resume or advance DURATION`);
  }
  let ms = 0;
  if (sub === 'advance') {
    if (!arg) throw new CliError('clock advance needs a duration, e.g. 30s, 5m, 1h');
    const d = parseDuration(arg);
    if (d === undefined || d < 0) throw new CliError(`invalid duration "${arg}": use e.g. 30s, 5m, 1h30m`);
    ms = d;
  }
  /** the last instant a JavaScript Date (and so the store's timestamps) can hold */
  const MAX_TIME = 8.64e15;
  return withCluster(io, undefined, 'write', async (s) => {
    const st = s.cluster.state;
    if (sub === 'freeze') freeze(st.clock, io.wallNow());
    else if (sub === 'resume') resume(st.clock, io.wallNow());
    else {
      if (simNow(st.clock, io.wallNow()) + ms > MAX_TIME) throw new CliError(`cannot advance the clock by ${arg}: it would pass the year 275760`);
      advance(st.clock, ms);
      await s.cluster.runUntil(simNow(st.clock, io.wallNow()));
    }
    show(io, simNow(st.clock, io.wallNow()), st.clock.mode);
    return 0;
  });
}
