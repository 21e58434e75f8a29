// String.prototype.localeCompare without starting ICU's collator when it is not needed. just-bash
// sorts with localeCompare (SHELLOPTS at every exec, ls, globs, find, sort); the collator's first use
// costs 20 ms or more. For two strings made only of lowercase ASCII letters, digits and `-` `.` `/`,
// the root collation orders them as their code units do (punctuation, then digits, then letters,
// with no case or accent levels in play), so those are compared directly; anything else, or a call
// with locales or options, goes to the real localeCompare.
const PLAIN = /^[a-z0-9./-]*$/;
let installed = false;

export function fastLocaleCompare(): void {
  if (installed) return;
  installed = true;
  const real = String.prototype.localeCompare;
  Object.defineProperty(String.prototype, 'localeCompare', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function localeCompare(this: unknown, that: unknown, ...rest: unknown[]): number {
      const a = String(this);
      if (rest.length === 0 || (rest.length <= 2 && rest.every((x) => x === undefined))) {
        const b = String(that);
        if (PLAIN.test(a) && PLAIN.test(b)) return a < b ? -1 : a > b ? 1 : 0;
      }
      return real.call(a, that as string, ...(rest as [string | undefined, Intl.CollatorOptions | undefined]));
    },
  });
}
