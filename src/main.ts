// Entry point of the bundle: the launcher calls main() and sets the exit code.
import { dispatch } from './cli/dispatch.js';
import { closedPipeStatus, closeTerminal, processIO, type IO } from './cli/io.js';

export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  try {
    const code = await dispatch(argv, io);
    await io.flush?.();
    return closedPipeStatus() ?? code;
  } finally {
    closeTerminal();
  }
}
