// kubectl's CheckErr for the errors a ContinueOnError visit collects: one error prints as itself,
// several as an aggregate (MultipleErrors: each error's standard message, API errors as
// `Error from server (Reason): …`, others without the `error: ` prefix).
import { CliError, formatError, StatusError } from '../api/errors.js';

/** The text CheckErr prints for `errors` (with its trailing newline), or '' when there are none. */
export function aggregateText(errors: unknown[]): string {
  if (!errors.length) return '';
  if (errors.length === 1) {
    const t = formatError(errors[0]);
    return t.endsWith('\n') ? t : `${t}\n`;
  }
  return errors
    .map((e) => {
      if (e instanceof StatusError) return `Error from server (${e.reason}): ${e.message}\n`;
      if (e instanceof CliError) return `${e.message}\n`;
      return `${e instanceof Error ? e.message : String(e)}\n`;
    })
    .join('');
}
