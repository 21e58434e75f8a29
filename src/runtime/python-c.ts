// `python -c CODE` for the simple programs tutorials give a container (prints, f-strings, loops
// over range, `while True` with time.sleep, the host name and environment variables): the code is
// translated to an equivalent POSIX shell script that the container's shell runs in simulated time
// (sleeps take simulated time, output goes to the log as it is printed). Anything outside that
// subset is not translated, and python stays a program the simulation cannot run.

interface Line {
  indent: number;
  text: string;
}

/** A Python expression as a shell word (double-quoted), or undefined when it is not in the subset. */
function expr(e: string, vars: Set<string>): string | undefined {
  const t = e.trim();
  if (!t) return '""';
  // string literals (no escapes but \n and \t), f-strings with {name} or {name!r}-free fields
  const lit = /^([fF]?)(['"])((?:\\.|(?!\2).)*)\2$/.exec(t);
  if (lit) {
    let body = lit[3].replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\(['"\\])/g, '$1');
    if (/[`$]/.test(body.replace(/\{[^}]*\}/g, ''))) body = body.replace(/([`$])/g, '\\$1');
    body = body.replace(/"/g, '\\"');
    if (lit[1]) {
      let ok = true;
      body = body.replace(/\{([^{}]*)\}/g, (_, inner: string) => {
        const w = expr(inner, vars);
        if (w === undefined) ok = false;
        return w === undefined ? '' : w.replace(/^"|"$/g, '');
      });
      if (!ok) return undefined;
    }
    return `"${body}"`;
  }
  if (/^-?\d+$/.test(t)) return `"${t}"`;
  if (vars.has(t)) return `"$${t}"`;
  if (/^str\((.*)\)$/.test(t)) return expr(t.slice(4, -1), vars);
  if (/^socket\.gethostname\(\)$/.test(t) || /^platform\.node\(\)$/.test(t)) return '"$(hostname)"';
  const env = /^os\.(?:environ\[(['"])(\w+)\1\]|getenv\((['"])(\w+)\3\)|environ\.get\((['"])(\w+)\5\))$/.exec(t);
  if (env) return `"$${env[2] ?? env[4] ?? env[6]}"`;
  // integer arithmetic over variables and numbers
  if (/^[\w\s+\-*%/()]+$/.test(t) && /[+\-*%/]/.test(t) && t.split(/[^\w]+/).filter(Boolean).every((w) => /^\d+$/.test(w) || vars.has(w))) {
    return `"$((${t.replace(/\/\//g, '/')}))"`;
  }
  // string concatenation
  const parts = splitTop(t, '+');
  if (parts.length > 1) {
    const words = parts.map((p) => expr(p, vars));
    if (words.some((w) => w === undefined)) return undefined;
    return `"${words.map((w) => w!.slice(1, -1)).join('')}"`;
  }
  return undefined;
}

/** Splits at a top-level separator (outside quotes and parentheses). */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') {
        cur += ch + (text[++i] ?? '');
        continue;
      }
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

function printStmt(args: string, vars: Set<string>): string | undefined {
  let sepWord = '" "';
  let endWord = '"\\n"';
  const values: string[] = [];
  for (const a of splitTop(args, ',').map((x) => x.trim()).filter(Boolean)) {
    const kw = /^(sep|end|flush|file)\s*=\s*(.*)$/.exec(a);
    if (kw) {
      if (kw[1] === 'flush') continue;
      if (kw[1] === 'file') {
        if (kw[2] !== 'sys.stdout') return undefined;
        continue;
      }
      const w = expr(kw[2], vars);
      if (w === undefined) return undefined;
      if (kw[1] === 'sep') sepWord = w;
      else endWord = w;
      continue;
    }
    const w = expr(a, vars);
    if (w === undefined) return undefined;
    values.push(w);
  }
  const sepText = sepWord.slice(1, -1);
  const joined = values.map((v) => v.slice(1, -1)).join(sepText.replace(/%/g, '%%'));
  if (endWord === '"\\n"') return `printf '%s\\n' "${joined}"`;
  return `printf '%s%s' "${joined}" ${endWord}`;
}

function statement(text: string, vars: Set<string>): string | undefined {
  const t = text.trim();
  if (!t || t.startsWith('#') || t === 'pass') return ':';
  if (/^(import\s+[\w.,\s]+|from\s+[\w.]+\s+import\s+[\w,\s*]+)$/.test(t)) return ':';
  const print = /^print\((.*)\)$/s.exec(t);
  if (print) return printStmt(print[1], vars);
  const sleep = /^(?:time\.)?sleep\(\s*([\d.]+)\s*\)$/.exec(t);
  if (sleep) return `sleep ${sleep[1]}`;
  const assign = /^([A-Za-z_]\w*)\s*(\+|-|\*)?=\s*(.+)$/.exec(t);
  if (assign && !/^[=]/.test(assign[3])) {
    const [, name, op, value] = assign;
    if (op) {
      if (!vars.has(name) || !/^\d+$|^[A-Za-z_]\w*$/.test(value.trim())) return undefined;
      return `${name}=$((${name} ${op} ${value.trim()}))`;
    }
    const w = expr(value, vars);
    vars.add(name);
    return w === undefined ? undefined : `${name}=${w}`;
  }
  if (/^(sys\.)?exit\((\d*)\)$/.test(t)) return `exit ${/\((\d*)\)/.exec(t)![1] || 0}`;
  return undefined;
}

function lines(code: string): Line[] | undefined {
  const out: Line[] = [];
  for (const raw of code.split('\n')) {
    if (!raw.trim()) continue;
    if (/^\s*\t/.test(raw)) return undefined;
    const indent = raw.length - raw.trimStart().length;
    // `a; b` on one line, and `for x in y: stmt` with its body on the same line
    const header = /^(\s*)((?:for|while|if)\b[^:]*:)\s*(\S.*)$/.exec(raw);
    if (header && !/^[\s]*$/.test(header[3])) {
      out.push({ indent, text: header[2] });
      for (const s of splitTop(header[3], ';')) out.push({ indent: indent + 1, text: s.trim() });
      continue;
    }
    for (const s of splitTop(raw.trim(), ';')) if (s.trim()) out.push({ indent, text: s.trim() });
  }
  return out;
}

function block(ls: Line[], start: number, indent: number, vars: Set<string>, out: string[]): number | undefined {
  let i = start;
  while (i < ls.length && ls[i].indent >= indent) {
    if (ls[i].indent > indent) return undefined;
    const t = ls[i].text;
    const body = () => (i + 1 < ls.length && ls[i + 1].indent > indent ? ls[i + 1].indent : undefined);
    const loopRange = /^for\s+([A-Za-z_]\w*)\s+in\s+range\(([^)]*)\)\s*:$/.exec(t);
    const loopList = /^for\s+([A-Za-z_]\w*)\s+in\s+\[([^\]]*)\]\s*:$/.exec(t);
    const loopWhile = /^while\s+(True|1)\s*:$/.exec(t);
    if (loopRange || loopList || loopWhile) {
      const inner = body();
      if (inner === undefined) return undefined;
      const sub: string[] = [];
      if (loopRange) {
        const args = loopRange[2].split(',').map((x) => x.trim());
        if (args.some((a) => !/^-?\d+$/.test(a) && !vars.has(a)) || args.length > 3 || !args[0]) return undefined;
        const [from, to, step] = args.length === 1 ? ['0', args[0], '1'] : [args[0], args[1], args[2] ?? '1'];
        const v = loopRange[1];
        vars.add(v);
        const end = block(ls, i + 1, inner, vars, sub);
        if (end === undefined) return undefined;
        const val = (x: string) => (vars.has(x) ? `$${x}` : x);
        out.push(`${v}=${val(from)}; while [ "$${v}" -lt ${val(to)} ]; do ${sub.join('; ')}; ${v}=$((${v} + ${val(step)})); done`);
        i = end;
        continue;
      }
      if (loopList) {
        const v = loopList[1];
        const items = splitTop(loopList[2], ',').map((x) => expr(x, vars));
        if (items.some((x) => x === undefined)) return undefined;
        vars.add(v);
        const end = block(ls, i + 1, inner, vars, sub);
        if (end === undefined) return undefined;
        out.push(`for ${v} in ${items.join(' ')}; do ${sub.join('; ')}; done`);
        i = end;
        continue;
      }
      const end = block(ls, i + 1, inner, vars, sub);
      if (end === undefined) return undefined;
      out.push(`while true; do ${sub.join('; ')}; done`);
      i = end;
      continue;
    }
    const s = statement(t, vars);
    if (s === undefined) return undefined;
    out.push(s);
    i++;
  }
  return i;
}

/** The shell script equivalent to a `python -c` program, or undefined when it is outside the subset. */
export function pythonToShell(code: string): string | undefined {
  const ls = lines(code);
  if (!ls || !ls.length) return ls ? ':' : undefined;
  const out: string[] = [];
  const end = block(ls, 0, ls[0].indent, new Set(), out);
  if (end === undefined || end < ls.length) return undefined;
  return out.join('\n');
}

/** `python`/`python3`/`python3.N` with `-c CODE` (and `-u`): the shell argv that runs it, or undefined. */
export function pythonCommand(argv: string[]): string[] | undefined {
  const base = (argv[0] ?? '').split('/').pop() ?? '';
  if (!/^python(3(\.\d+)?)?$/.test(base)) return undefined;
  const rest = argv.slice(1).filter((a) => a !== '-u');
  if (rest[0] !== '-c' || rest.length < 2) return undefined;
  const script = pythonToShell(rest[1]);
  return script === undefined ? undefined : ['sh', '-c', script];
}

/**
 * The script a command line runs through the container's shell: `sh -c SCRIPT`, or a `python -c`
 * program of the simple forms (when the image has python) as the script it translates to.
 */
export function shellScriptOf(argv: string[], shells: Set<string>, hasPython: boolean): string | undefined {
  const base = (argv[0] ?? '').split('/').pop() ?? '';
  if (shells.has(base) && argv.includes('-c')) return argv[argv.indexOf('-c') + 1] ?? '';
  return hasPython ? pythonCommand(argv)?.[2] : undefined;
}
