// Port parsing kubectl's service commands share: utilnet.ParsePort (strconv.ParseUint's errors) and
// validation.IsValidPortName (IANA_SVC_NAME).
import { CliError } from '../api/errors.js';

/** utilnet.ParsePort: a 16-bit unsigned number (0 only when allowed). */
export function parsePortNumber(s: string, allowZero: boolean): number {
  if (!/^\d+$/.test(s)) throw new CliError(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 65535) throw new CliError(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  if (n === 0 && !allowZero) throw new CliError('0 is not a valid port number');
  return n;
}

/** validation.IsValidPortName's messages (none when valid). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length && (port[0] === '-' || port[port.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}
