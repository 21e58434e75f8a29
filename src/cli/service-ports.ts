// Port parsing kubectl's service commands share: utilnet.ParsePort (strconv.ParseUint's errors).
import { CliError } from '../api/errors.js';

/** utilnet.ParsePort: a 16-bit unsigned number (0 only when allowed). */
export function parsePortNumber(s: string, allowZero: boolean): number {
  if (!/^\d+$/.test(s)) throw new CliError(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 65535) throw new CliError(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  if (n === 0 && !allowZero) throw new CliError('0 is not a valid port number');
  return n;
}

