// Entry point of the bundle: the launcher calls main() and sets the exit code.
import { dispatch } from './cli/dispatch.js';
import { closeTerminal, processIO, type IO } from './cli/io.js';

export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } finally {
    closeTerminal();
  }
}
