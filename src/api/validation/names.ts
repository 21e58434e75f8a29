// Name and metadata validation as apimachinery words it.
import type { Cause } from '../errors.js';
import { goQuote } from '../../printers/gofmt.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export const q = (v: string): string => JSON.stringify(v);

export function dns1123Subdomain(value: string, field: string): Cause[] {
  const out: Cause[] = [];
  if (value.length > 253) out.push({ field, message: `Invalid value: ${q(value)}: must be no more than 253 characters` });
  if (!SUBDOMAIN.test(value)) {
    out.push({
      field,
      message: `Invalid value: ${q(value)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    });
  }
  return out;
}

export function dns1123Label(value: string, field: string): Cause[] {
  const out: Cause[] = [];
  if (value.length > 63) out.push({ field, message: `Invalid value: ${q(value)}: must be no more than 63 characters` });
  if (!LABEL.test(value)) {
    out.push({
      field,
      message: `Invalid value: ${q(value)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    });
  }
  return out;
}

export function dns1035Label(value: string, field: string): Cause[] {
  const out: Cause[] = [];
  if (value.length > 63) out.push({ field, message: `Invalid value: ${q(value)}: must be no more than 63 characters` });
  if (!DNS1035.test(value)) {
    out.push({
      field,
      message: `Invalid value: ${q(value)}: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    });
  }
  return out;
}

export function configKey(key: string, field: string): Cause[] {
  if (key.length <= 253 && CONFIG_KEY.test(key)) return [];
  return [
    {
      field,
      message: `Invalid value: ${q(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    },
  ];
}

export function qualifiedName(key: string, field: string): Cause[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const out: Cause[] = [];
  if (slash >= 0 && (!prefix || !SUBDOMAIN.test(prefix))) {
    out.push({ field, message: `Invalid value: ${q(key)}: prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` });
  }
  if (!name) out.push({ field, message: `Invalid value: ${q(key)}: name part must be non-empty` });
  else if (name.length > 63) out.push({ field, message: `Invalid value: ${q(key)}: name part must be no more than 63 characters` });
  if (name && !QUALIFIED_NAME.test(name)) {
    out.push({
      field,
      message: `Invalid value: ${q(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    });
  }
  return out;
}

export function labels(map: Record<string, unknown> | undefined, field: string): Cause[] {
  const out: Cause[] = [];
  for (const [k, v] of Object.entries(map ?? {})) {
    out.push(...qualifiedName(k, field));
    const s = String(v);
    if (s.length > 63) out.push({ field, message: `Invalid value: ${q(s)}: must be no more than 63 characters` });
    if (!LABEL_VALUE.test(s)) {
      out.push({
        field,
        message: `Invalid value: ${q(s)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
  }
  return out;
}

export function annotations(map: Record<string, unknown> | undefined, field: string): Cause[] {
  const out: Cause[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(map ?? {})) {
    out.push(...qualifiedName(k.toLowerCase(), field));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) out.push({ field, message: `Too long: must have at most 262144 bytes` });
  return out;
}

export function unsupported(field: string, value: string, supported: string[]): Cause {
  return { field, message: `Unsupported value: ${q(value)}: supported values: ${supported.map(q).join(', ')}` };
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

/** Go's %#v of a map[string]string (keys sorted), as the API server prints an invalid map. */
export function goStringMap(m: Record<string, unknown> | undefined | null): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`;
}
