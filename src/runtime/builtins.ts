// Shell builtins and small programs every image's shell has that just-bash lacks (trap, ulimit, umask,
// nohup): without them a container script would print "trap: not found", which no real shell does.
// Signals are not delivered to shell traps in the simulation, so `trap` only records nothing.
type JB = typeof import('just-bash');

const ok = (stdout = '') => ({ stdout, stderr: '', exitCode: 0 });

const LIMITS: Record<string, string> = { '-n': '1048576', '-s': '8192', '-c': 'unlimited', '-u': 'unlimited', '-f': 'unlimited', '-v': 'unlimited', '-l': '8192' };

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
}

/** Names these commands take (shell builtins need no file on PATH; nohup is one). */
export const MISSING_BUILTINS = ['trap', 'ulimit', 'umask'];

export function missingBuiltins(jb: JB, has: (name: string) => boolean) {
  const def = jb.defineCommand;
  const cmds = [
    def('trap', async () => ok()),
    def('ulimit', async (args) => {
      const flag = args.find((a) => a.startsWith('-')) ?? '-f';
      if (flag === '-a') return ok(Object.entries(LIMITS).map(([f, v]) => `${f.slice(1)} ${v}`).join('\n') + '\n');
      return ok(`${LIMITS[flag.slice(0, 2)] ?? 'unlimited'}\n`);
    }),
    def('umask', async (args) => (args[0] === '-S' ? ok('u=rwx,g=rx,o=rx\n') : args.length ? ok() : ok('0022\n'))),
  ];
  if (has('nohup')) {
    cmds.push(
      def('nohup', async (args, ctx) => {
        if (!args.length) return { stdout: '', stderr: "nohup: missing operand\nTry 'nohup --help' for more information.\n", exitCode: 125 };
        if (!ctx.exec) return { stdout: '', stderr: '', exitCode: 126 };
        const r = await ctx.exec(args.map(quote).join(' '), { cwd: ctx.cwd });
        return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
      }),
    );
  }
  return cmds;
}
