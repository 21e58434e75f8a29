// Shell scripts as resumable programs. A container's script is compiled (with just-bash's parser) into
// a few steps: its top-level statements, `&&`/`||` chains, while/until/for loops and `sleep`s. Each
// plain statement runs in the container's shell; between steps the program's state (position,
// variables, loop words) is plain data kept in the store, so a loop really advances one iteration per
// simulated second across invocations.
import type { Op, Proc } from './state.js';

type Node = { type: string; [k: string]: any };

export interface JustBashParser {
  parse(text: string): Node;
  serialize(ast: Node): string;
}

const DAEMONS = /^(exec\s+)?(\S*\/)?(nginx|hello-app|httpd-foreground|httpd|redis-server|python3?(\.\d+)?\s+-m\s+http\.server|docker-entrypoint\.sh|\/docker-entrypoint\.sh|sleep\s+(infinity|inf)|tail\s+(-\S*[fF]\S*|--follow\S*)(\s+-\S+)*\s+\/dev\/null$)\b/;
const ALWAYS = new Set(['true', ':', '[ 1 ]', '[ true ]', 'true;', '/bin/true']);

function text(jb: JustBashParser, pipelines: Node[]): string {
  return jb.serialize({ type: 'Script', statements: [{ type: 'Statement', pipelines, operators: [], background: false }] }).trim();
}

function simpleName(p: Node): string | undefined {
  const c = p.commands?.[0];
  if (p.commands?.length !== 1 || c.type !== 'SimpleCommand' || !c.name) return undefined;
  return (c.name.parts ?? []).map((x: Node) => (x.type === 'Literal' ? x.value : '?')).join('');
}

export interface Compiled {
  ops: Op[];
  /** ends in a loop that cannot end by itself */
  steady: boolean;
}

export function compile(jb: JustBashParser, script: string): Compiled {
  const ops: Op[] = [];
  let loopId = 0;
  let steady = false;
  const body = (stmts: Node[], top: boolean) => {
    stmts.forEach((st, idx) => {
      if (st.background) {
        ops.push({ op: 'exec', text: st.sourceText ?? text(jb, st.pipelines) });
        return;
      }
      const jumps: number[] = [];
      st.pipelines.forEach((p: Node, i: number) => {
        if (i > 0) {
          jumps.push(ops.length);
          ops.push({ op: 'jump', to: -1, when: st.operators[i - 1] === '&&' ? 'fail' : 'ok' });
        }
        pipeline(p, top && idx === stmts.length - 1 && st.pipelines.length === 1);
      });
      for (const j of jumps) (ops[j] as { to: number }).to = ops.length;
    });
  };
  const pipeline = (p: Node, last: boolean) => {
    const c = p.commands[0];
    if (p.commands.length === 1 && !p.negated && (c.type === 'While' || c.type === 'Until') && !c.redirections?.length) {
      const cond = text(jb, c.condition.flatMap((s: Node) => s.pipelines));
      const start = ops.length;
      const forever = c.type === 'While' ? ALWAYS.has(cond) : cond === 'false';
      if (!forever) ops.push({ op: 'cond', text: cond });
      const exitJump = ops.length;
      if (!forever) ops.push({ op: 'jump', to: -1, when: c.type === 'While' ? 'fail' : 'ok', loop: 'exit' });
      const bodyStart = ops.length;
      body(c.body, false);
      const inner = ops.slice(bodyStart);
      ops.push({ op: 'jump', to: start, loop: 'back' });
      if (!forever) (ops[exitJump] as { to: number }).to = ops.length;
      const canEnd = inner.some((o) => o.op === 'exit' || o.op === 'daemon' || ('text' in o && /\b(break|exit|return)\b/.test(o.text)));
      if (forever && !canEnd && last) steady = true;
      return;
    }
    if (p.commands.length === 1 && !p.negated && c.type === 'For' && c.words && !c.redirections?.length) {
      const id = loopId++;
      const words = jb.serialize({
        type: 'Script',
        statements: [{ type: 'Statement', pipelines: [{ type: 'Pipeline', commands: [{ type: 'SimpleCommand', name: { type: 'Word', parts: [{ type: 'Literal', value: 'echo' }] }, args: c.words, assignments: [], redirections: [] }], negated: false }], operators: [], background: false }],
      });
      ops.push({ op: 'forInit', id, words: words.trim().replace(/^echo/, "printf '%s\\n'") });
      const next = ops.length;
      ops.push({ op: 'forNext', id, name: c.variable, end: -1 });
      body(c.body, false);
      ops.push({ op: 'jump', to: next });
      (ops[next] as { end: number }).end = ops.length;
      return;
    }
    const t = text(jb, [p]);
    const name = simpleName(p);
    if (name === 'sleep' && !/[;&|<>]/.test(t)) ops.push({ op: 'sleep', text: t.replace(/^sleep\s*/, '') });
    else if (name === 'exit' && !/[;&|<>]/.test(t)) ops.push({ op: 'exit', text: t.replace(/^exit\s*/, '') });
    else if (DAEMONS.test(t) && !/[;&|<>]/.test(t.replace(/"daemon off;"|'daemon off;'/, ''))) ops.push({ op: 'daemon', text: t });
    else ops.push({ op: 'exec', text: t });
  };
  body(jb.parse(script).statements, true);
  return { ops, steady };
}

/** `1`, `0.5`, `2s`, `1m`, `1h`, `infinity` → ms (undefined: forever); NaN: invalid. */
export function sleepMs(arg: string): number | undefined {
  let total = 0;
  for (const w of arg.trim().split(/\s+/).filter(Boolean)) {
    if (w === 'infinity' || w === 'inf') return undefined;
    const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(w);
    if (!m) return Number.NaN;
    const mult = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]] ?? 1000;
    total += Number(m[1]) * mult;
  }
  return Math.round(total);
}

export interface StepHost {
  /** runs a statement in the container's shell at simulated time `t` */
  run(proc: Proc, text: string, t: number): Promise<{ stdout: string; stderr: string; exitCode: number; elapsedMs: number; endless?: boolean; fatal?: boolean }>;
  output(proc: Proc, t: number, stdout: string, stderr: string): void;
  /** the program becomes a long-running program (nginx, a web server…) */
  daemon(proc: Proc, text: string, t: number): Promise<void>;
  exit(proc: Proc, code: number, t: number): void;
}

/** Runs a program's steps due up to `until`; returns the number of steps taken. */
export async function step(proc: Proc, until: number, host: StepHost, maxSteps: number): Promise<number> {
  let n = 0;
  const ops = proc.ops ?? [];
  while (proc.wakeAt !== undefined && proc.wakeAt <= until && n < maxSteps && !proc.daemon && proc.waitFor === undefined) {
    n++;
    const t = proc.wakeAt;
    const pc = proc.pc ?? 0;
    const op = ops[pc];
    if (!op) {
      if ((proc as { stdinOpen?: boolean }).stdinOpen) {
        // a shell reading a stdin that stays open (stdin without stdinOnce): it waits for more input
        delete proc.ops;
        delete proc.pc;
        delete proc.wakeAt;
        return n;
      }
      host.exit(proc, proc.status ?? 0, t);
      return n;
    }
    proc.pc = pc + 1;
    switch (op.op) {
      case 'exec':
      case 'cond': {
        const r = await host.run(proc, op.text, t);
        host.output(proc, t, r.stdout, r.stderr);
        proc.status = r.exitCode;
        proc.wakeAt = t + r.elapsedMs;
        if (r.fatal) {
          // the shell itself died (stack overflow, out of memory): the program ends with it
          host.exit(proc, r.exitCode, t + r.elapsedMs);
          return n;
        }
        if (r.endless) {
          // a loop that never ends inside one statement: it keeps running (and never exits)
          proc.wakeAt = undefined;
          proc.steady = true;
          return n;
        }
        break;
      }
      case 'sleep': {
        let arg = op.text;
        if (/[$`]/.test(arg)) arg = (await host.run(proc, `echo ${arg}`, t)).stdout;
        const ms = sleepMs(arg);
        if (Number.isNaN(ms)) {
          host.output(proc, t, '', `sleep: invalid number '${arg.trim()}'\n`);
          proc.status = 1;
        } else if (ms === undefined) {
          proc.wakeAt = undefined;
          proc.steady = true;
        } else {
          proc.wakeAt = t + ms;
          proc.status = 0;
        }
        break;
      }
      case 'exit': {
        let arg = op.text.trim();
        if (/[$`]/.test(arg)) arg = (await host.run(proc, `echo ${arg}`, t)).stdout.trim();
        const code = arg === '' ? (proc.status ?? 0) : Number.parseInt(arg, 10) & 255;
        host.exit(proc, Number.isNaN(code) ? 2 : code, t);
        return n;
      }
      case 'daemon':
        await host.daemon(proc, op.text, t);
        return n;
      case 'jump':
        if (op.loop === 'back') proc.loopStatus = proc.status;
        if (!op.when || (op.when === 'ok') === (proc.status === 0)) {
          proc.pc = op.to;
          // a while/until loop ends with its body's last status (0 when the body never ran), not its condition's
          if (op.loop === 'exit') {
            proc.status = proc.loopStatus ?? 0;
            delete proc.loopStatus;
          }
        }
        break;
      case 'forInit': {
        const r = await host.run(proc, op.words, t);
        (proc.loops ??= {})[op.id] = r.stdout.split('\n').filter((w, i, a) => i < a.length - 1 || w !== '');
        break;
      }
      case 'forNext': {
        const words = proc.loops?.[op.id] ?? [];
        if (!words.length) {
          proc.pc = op.end;
          delete proc.loops?.[op.id];
        } else (proc.env ??= {})[op.name] = words.shift()!;
        break;
      }
    }
  }
  return n;
}
