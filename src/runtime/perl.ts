// What the simulation answers for the perl image's interpreter: `perl -v`, and the Jobs tutorial's
// `perl -Mbignum=bpi -wle 'print bpi(N)'` (π to N significant digits, computed exactly, as
// Math::BigFloat's bpi rounds it). Other scripts are not run.

type Answer = { stdout: string; stderr: string; exitCode: number };

const cache = new Map<number, string>();

/** atan(1/x) scaled by `scale` (Taylor series on BigInts). */
function arctanInv(x: bigint, scale: bigint): bigint {
  let sum = 0n;
  let term = scale / x;
  const x2 = x * x;
  let n = 1n;
  let sign = 1n;
  while (term !== 0n) {
    sum += (sign * term) / n;
    term /= x2;
    n += 2n;
    sign = -sign;
  }
  return sum;
}

/** π rounded to `digits` significant digits, as "3.1415…". */
export function piDigits(digits: number): string {
  const hit = cache.get(digits);
  if (hit) return hit;
  const guard = 12;
  const scale = 10n ** BigInt(digits - 1 + guard);
  const pi = 16n * arctanInv(5n, scale) - 4n * arctanInv(239n, scale);
  const unit = 10n ** BigInt(guard);
  const rounded = (pi + unit / 2n) / unit;
  const s = rounded.toString();
  const out = digits === 1 ? s : `${s[0]}.${s.slice(1)}`;
  cache.set(digits, out);
  return out;
}

function version(v: string): string {
  const [maj, min, sub] = v.split('.');
  return `\nThis is perl ${maj}, version ${min}, subversion ${sub} (v${v}) built for x86_64-linux-gnu\n\nCopyright 1987-2021, Larry Wall\n\nPerl may be copied only under the terms of either the Artistic License or the\nGNU General Public License, which may be found in the Perl 5 source kit.\n\nComplete documentation for Perl, including FAQ lists, should be found on\nthis system using "man perl" or "perldoc perl".  If you have access to the\nInternet, point your browser at http://www.perl.org/, the Perl Home Page.\n\n`;
}

/** perl's answer for the arguments, or undefined when the simulation cannot run them. */
export function perlAnswer(args: string[], perlVersion: string): Answer | undefined {
  if (args[0] === '-v' || args[0] === '--version') return { stdout: version(perlVersion), stderr: '', exitCode: 0 };
  let bignum = false;
  let newline = false;
  let script: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (/^-M(bignum|bigrat|Math::BigFloat)=?.*bpi/.test(a)) bignum = true;
    else if (/^-[wl]*e$/.test(a) || /^-[wl]*e[wl]*$/.test(a)) {
      if (a.includes('l')) newline = true;
      script = args[i + 1];
      i++;
    } else if (/^-[wl]+$/.test(a)) {
      if (a.includes('l')) newline = true;
    } else return undefined;
  }
  const m = script !== undefined ? /^\s*print\s*\(?\s*bpi\s*\(\s*(\d+)\s*\)\s*\)?\s*;?\s*$/.exec(script) : null;
  if (!bignum || !m) return undefined;
  const n = Number(m[1]);
  if (n < 1 || n > 100_000) return undefined;
  return { stdout: piDigits(n) + (newline ? '\n' : ''), stderr: '', exitCode: 0 };
}
