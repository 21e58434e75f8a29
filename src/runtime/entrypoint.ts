// What an image's entrypoint script does with the arguments it is given (the catalog's
// `entrypointScript`, from the images' real docker-entrypoint.sh): some first arguments make it set up
// and run the image's own program (postgres, mysqld, redis-server, nginx…); anything else it execs as
// given (`exec "$@"`), so `kubectl run x --image=postgres -- sleep 3600` runs sleep as PID 1.

export type PrependWhen = 'option' | 'conf' | 'notCommand';

export interface EntrypointScript {
  /** the script's own program: runs when the first argument (after prepending) is one of these */
  serve: string[];
  /** prepends `program` when the first argument matches one of `when` (`set -- node "$@"`) */
  prepend?: { program: string; when: PrependWhen[] };
  /** arguments that make the served program only print and exit (`--help`, `--version`): no setup */
  helpArgs?: string[];
  /** the served program is what the image's default kind simulates only without arguments (a REPL) */
  bare?: boolean;
  /** lines printed before the script runs anything (a banner): [stream, text] */
  always?: ['o' | 'e', string][];
  /** lines the script itself logs (a regular expression): left out when the program starts without it */
  ownLog?: string;
  /** `exec "$@"` of a missing program ({cmd}), as the script's shell words it (`ash`: busybox images); exit 127 */
  execNotFound?: Record<string, string>;
  note?: string;
}

export type EntrypointPlan =
  | { serve: true; argv: string[] }
  | { serve: false; argv: string[]; log: ['o' | 'e', string][] };

/**
 * How the entrypoint script treats argv (argv[0] is the script). `isCommand` says whether a word is
 * a program on the image's PATH (`command -v`).
 */
export function planEntrypoint(script: EntrypointScript, argv: string[], isCommand: (w: string) => boolean): EntrypointPlan {
  let args = argv.slice(1);
  const first = args[0] ?? '';
  const p = script.prepend;
  if (p) {
    const hit = p.when.some((w) => (w === 'option' ? first.startsWith('-') : w === 'conf' ? first.endsWith('.conf') : !first || !isCommand(first)));
    if (hit) args = [p.program, ...args];
  }
  const help = script.helpArgs ?? [];
  const serve = script.serve.includes(args[0] ?? '') && !args.slice(1).some((a) => help.includes(a)) && (!script.bare || args.length === 1);
  if (serve) return { serve: true, argv: [argv[0], ...args] };
  return { serve: false, argv: args, log: script.always ?? [] };
}

/** The plan for a container's argv when argv[0] is the image's own entrypoint script; else undefined. */
export function entrypointPlan(
  variant: { entrypoint: string[]; entrypointScript?: EntrypointScript },
  argv: string[],
  isCommand: (w: string) => boolean,
): EntrypointPlan | undefined {
  const script = variant.entrypointScript;
  if (!script || !argv.length || argv[0] !== variant.entrypoint?.[0]) return undefined;
  return planEntrypoint(script, argv, isCommand);
}

/** The script's own words for `exec "$@"` of a program the image does not have (undefined: unknown). */
export function execNotFoundText(script: EntrypointScript | undefined, shKind: string, cmd: string): string | undefined {
  const t = (shKind === 'ash' ? script?.execNotFound?.ash : undefined) ?? script?.execNotFound?.default;
  return t?.replaceAll('{cmd}', cmd);
}
