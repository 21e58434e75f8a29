// kubectl completion bash|zsh|fish|powershell: a script for the shell's own completion machinery
// that asks the program itself for candidates through the hidden `__complete` command, as cobra's
// scripts do (so an alias works: `alias k=kubectl; complete -o default -F __start_kubectl k`).
import { CliError } from '../api/errors.js';
import { parseFlags } from './flags.js';
import type { IO } from './io.js';
import { completionScript } from '../printers/completion-scripts.js';

export default async function completion(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, [], 'completion');
  if (p.args.length === 0) throw new CliError("Shell not specified.\nSee 'kubectl completion -h' for help and examples");
  if (p.args.length > 1) throw new CliError("Too many arguments. Expected only the shell type.\nSee 'kubectl completion -h' for help and examples");
  const script = completionScript(p.args[0], io.program === 'kubesim' ? 'kubesim' : 'kubectl');
  if (script === undefined) throw new CliError(`Unsupported shell type "${p.args[0]}".\nSee 'kubectl completion -h' for help and examples`);
  io.stdout.write(script);
  return 0;
}
