// TEMPORARY STUB written by the lead; the config owner replaces this file.
import { CliError } from '../api/errors.js';
import type { IO } from './io.js';

export default async function config(_argv: string[], _io: IO): Promise<number> {
  throw new CliError('config: not implemented yet');
}
