// Extracts the commands, their shown output and the named manifests from a tutorial: Markdown with
// fenced blocks (prompted or prompt-less, "The output is similar to:" blocks) or plain text with
// shell prompts. Heredocs become files (`cat <<EOF > f`) or a command's stdin (`apply -f - <<EOF`).
import {
  COMMAND_WORDS,
  announcesOutput,
  bareCommand,
  isProse,
  looksLikeManifest,
  promptCommand,
  proseFileName,
  proseWait,
  stripAnsi,
} from './prompts.js';

export interface CommandItem {
  kind: 'command';
  /** 1-based line of the command in the transcript */
  line: number;
  command: string;
  /** a heredoc's body fed to the command */
  stdin?: string;
  /** the output the transcript shows; undefined when it shows none */
  expected?: string;
  /** an explicit wait the text asks for before this command ("wait 30 seconds") */
  waitMs?: number;
  /** where the shown output is: 1-based first and last line (end = start - 1: none shown, it would go before start), and the indentation of its block */
  at?: OutputRange;
  /** the output is a block of its own after the command's (kubernetes.io), which often shows an excerpt */
  excerpt?: boolean;
  /** the prompt it was typed at (`$`, `root@web:/#`); undefined in a prompt-less block */
  prompt?: string;
}

export interface OutputRange {
  start: number;
  end: number;
  indent: string;
}

export interface FileItem {
  kind: 'file';
  line: number;
  name: string;
  content: string;
}

export type Item = CommandItem | FileItem;

interface Segment {
  fence: boolean;
  lang: string;
  /** the fence's indentation, removed from its lines */
  indent: string;
  /** 1-based line number of lines[0] */
  start: number;
  lines: string[];
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'shell-session', 'shellsession', 'console', 'terminal', 'powershell', 'ps1', 'pwsh', 'cmd', 'bat']);
const SCRIPT_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'powershell', 'ps1', 'pwsh']);
const DATA_LANGS = new Set(['yaml', 'yml', 'json']);

function segments(lines: string[]): Segment[] {
  const out: Segment[] = [];
  let text: Segment = { fence: false, lang: '', indent: '', start: 1, lines: [] };
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*\{?\.?([\w+-]*)/.exec(lines[i]);
    if (!open) {
      text.lines.push(lines[i]);
      continue;
    }
    out.push(text);
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    const close = new RegExp(`^\\s*${open[2][0] === '`' ? '`' : '~'}{${open[2].length},}\\s*$`);
    while (j < lines.length && !close.test(lines[j])) {
      const l = lines[j];
      body.push(l.slice(0, indent).trim() === '' ? l.slice(indent) : l);
      j++;
    }
    out.push({ fence: true, lang: open[3].toLowerCase(), indent: open[1], start: i + 2, lines: body });
    i = j;
    text = { fence: false, lang: '', indent: '', start: j + 2, lines: [] };
  }
  out.push(text);
  return out;
}

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

/** The last paragraph of a text segment (what introduces the next block). */
function lastParagraph(seg: Segment | undefined): string {
  if (!seg || seg.fence) return '';
  const ls = trimBlank(seg.lines);
  let i = ls.length;
  while (i > 0 && ls[i - 1].trim() !== '') i--;
  return ls.slice(i).join(' ');
}

function firstParagraph(seg: Segment | undefined): string {
  if (!seg || seg.fence) return '';
  const ls = trimBlank(seg.lines);
  const end = ls.findIndex((l) => l.trim() === '');
  return (end < 0 ? ls : ls.slice(0, end)).join(' ');
}

const HEREDOC = /<<(-?)\s*(['"]?)([\w-]+)\2/;

class Builder {
  items: Item[] = [];
  /** index of the fenced segment the last commands came from */
  commandFence = -1;
  pendingWait: number | undefined;

  prose(text: string): void {
    const w = proseWait(text);
    if (w !== undefined) this.pendingWait = w;
  }

  lastCommand(): CommandItem | undefined {
    const last = this.items[this.items.length - 1];
    return last?.kind === 'command' ? last : undefined;
  }

  /**
   * Adds the command starting at lines[i] (its first line's text already without prompt), joining
   * backslash continuations and reading a heredoc. Returns the index after the command.
   */
  command(first: string, lines: string[], i: number, lineNo: number, prompt?: string): number {
    const prompted = prompt !== undefined;
    let command = first;
    let j = i + 1;
    while (/\\\s*$/.test(command) && j < lines.length) {
      const next = lines[j++];
      const cont = prompted ? next.replace(/^\s*>\s?/, '') : next;
      command = `${command.replace(/\s*\\\s*$/, '')} ${stripAnsi(cont).trim()}`;
    }
    const h = HEREDOC.exec(command);
    let stdin: string | undefined;
    if (h) {
      const body: string[] = [];
      while (j < lines.length) {
        const raw = prompted ? lines[j].replace(/^>\s?/, '') : lines[j];
        j++;
        if ((h[1] ? raw.trim() : raw.trimEnd()) === h[3]) break;
        body.push(h[1] ? raw.replace(/^\t+/, '') : raw);
      }
      stdin = body.length ? `${body.join('\n')}\n` : '';
      command = `${command.slice(0, h.index)}${command.slice(h.index + h[0].length)}`.replace(/\s+/g, ' ').trim();
    }
    command = stripComment(command).trim();
    if (!command) return j;
    const target = stdin !== undefined ? fileTarget(command) : undefined;
    if (target) {
      this.items.push({ kind: 'file', line: lineNo, name: target, content: stdin! });
    } else {
      const item: CommandItem = { kind: 'command', line: lineNo, command };
      if (stdin !== undefined) item.stdin = stdin;
      if (this.pendingWait !== undefined) item.waitMs = this.pendingWait;
      if (prompt !== undefined) item.prompt = prompt;
      this.pendingWait = undefined;
      this.items.push(item);
    }
    return j;
  }

  /** Sets lines[from, to) (blank lines around dropped) as the command's shown output. */
  output(cmd: CommandItem | undefined, lines: string[], from: number, to: number, seg: { start: number; indent: string }): void {
    while (from < to && lines[from].trim() === '') from++;
    while (to > from && lines[to - 1].trim() === '') to--;
    if (!cmd) return;
    // none shown: where one would go (--exact --update fills it in)
    if (from === to) return void (cmd.at ??= { start: seg.start + from, end: seg.start + from - 1, indent: seg.indent });
    cmd.expected = lines.slice(from, to).join('\n');
    cmd.at = { start: seg.start + from, end: seg.start + to - 1, indent: seg.indent };
  }

  file(name: string, body: string[], lineNo: number): void {
    this.items.push({ kind: 'file', line: lineNo, name, content: `${trimBlank(body).join('\n')}\n` });
  }
}

/** The command without a trailing `# comment` (outside quotes). */
function stripComment(command: string): string {
  let quote = '';
  for (let i = 0; i < command.length; i++) {
    const ch = command[i];
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') i++;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') i++;
    else if (ch === '#' && /\s/.test(command[i - 1] ?? '')) return command.slice(0, i);
  }
  return command;
}

/** `cat > f`, `cat <<EOF > f` (heredoc already removed), `tee f`: the file written. */
function fileTarget(command: string): string | undefined {
  const m = /^(?:cat\s*>\s*(\S+)|tee\s+(\S+)(?:\s*>\s*\/dev\/null)?)$/.exec(command.trim());
  return m ? (m[1] ?? m[2]).replace(/^['"]|['"]$/g, '') : undefined;
}

/**
 * Scans lines with prompts: each prompt starts a command, its output runs to the next prompt (and,
 * in plain text, to a blank line followed by prose). Prose outside outputs is read for waits.
 */
function scanPrompted(b: Builder, raw: string[], seg: { start: number; indent: string }, plain: boolean): void {
  const start = seg.start;
  const lines = raw.map(stripAnsi);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const hit = promptCommand(line);
    if (!hit) {
      if (plain) i = plainLine(b, lines, i, start);
      else i++;
      continue;
    }
    const lineNo = start + i;
    i = b.command(hit.command, lines, i, lineNo, hit.prompt);
    const from = i;
    while (i < lines.length) {
      const l = lines[i];
      if (promptCommand(l)) break;
      if (plain && l.trim() === '' && i + 1 < lines.length && isProse(lines[i + 1])) break;
      i++;
    }
    const last = b.lastCommand();
    if (last?.line === lineNo) b.output(last, lines, from, i, seg);
  }
}

/** `pod.yaml:` alone on a line: the name of the manifest that follows. */
const fileHeader = (line: string) => /^\s*[`"*]*([\w./-]+\.ya?ml)[`"*]*\s*:\s*$/.exec(line)?.[1];

/** A plain-text line outside any output: prose (waits), or `pod.yaml:` followed by a manifest. */
function plainLine(b: Builder, lines: string[], i: number, start: number): number {
  const line = lines[i];
  const name = fileHeader(line);
  if (name) {
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (j < lines.length && /^\s*apiVersion:/.test(lines[j])) {
      const body: string[] = [];
      while (j < lines.length && !promptCommand(lines[j]) && !fileHeader(lines[j]) && !(lines[j].trim() === '' && isProse(lines[j + 1] ?? ''))) body.push(lines[j++]);
      b.file(name, body, start + i + 1);
      return j;
    }
  }
  b.prose(line);
  return i + 1;
}

function isCommandLike(line: string): boolean {
  const c = bareCommand(stripAnsi(line));
  if (c === undefined) return false;
  return COMMAND_WORDS.has(c.split(/\s+/)[0]) || /^[A-Za-z_]\w*=\S/.test(c) || /^(do|done|then|fi|else|esac|\}|\))\b/.test(c);
}

function fenceBlock(b: Builder, segs: Segment[], k: number): void {
  const seg = segs[k];
  const before = lastParagraph(segs[k - 1]);
  const after = firstParagraph(segs[k + 1]);
  const body = seg.lines;
  const nonEmpty = body.filter((l) => l.trim() !== '');
  const prompted = body.some((l) => promptCommand(stripAnsi(l)));
  const last = b.lastCommand();
  const first = nonEmpty[0] ?? '';
  // kubernetes.io: a prompt-less command block, then "The output is similar to:" (or just the
  // output, not commands) in the next block; it may repeat the command line first
  const afterCommands = b.commandFence === k - 2 && last !== undefined && last.expected === undefined;
  const looksLikeOutput = announcesOutput(before) ? !(SCRIPT_LANGS.has(seg.lang) && isCommandLike(first)) : !DATA_LANGS.has(seg.lang) && !isCommandLike(first);
  if (afterCommands && !prompted && looksLikeOutput) {
    const clean = body.map(stripAnsi);
    let from = 0;
    while (from < clean.length && clean[from].trim() === '') from++;
    if (from < clean.length && bareCommand(clean[from]) === last.command) from++;
    b.output(last, clean, from, clean.length, seg);
    if (last.expected !== undefined) last.excerpt = true;
    return;
  }
  const manifest = DATA_LANGS.has(seg.lang) || (!SHELL_LANGS.has(seg.lang) && looksLikeManifest(body.join('\n')));
  if (manifest) {
    const named = /^#\s*([\w./-]+\.(?:ya?ml|json))\s*$/.exec(nonEmpty[0] ?? '')?.[1];
    const name = named ?? proseFileName(before.split(/(?<=[.:])\s+/).pop() ?? '') ?? proseFileName(before) ?? proseFileName(after);
    const content = named ? body.slice(body.indexOf(nonEmpty[0]) + 1) : body;
    if (name) b.file(name.replace(/\\/g, '/'), content, seg.start);
    return;
  }
  if (prompted) {
    scanPrompted(b, body, seg, false);
    b.commandFence = k;
    return;
  }
  if (!SHELL_LANGS.has(seg.lang) && seg.lang !== '' && seg.lang !== 'text') return;
  // a shell block may open with a comment (`# Replace "hello-4111706356" with the job name…`)
  const firstCommand = SHELL_LANGS.has(seg.lang) ? (nonEmpty.find((l) => !/^\s*#/.test(l)) ?? '') : first;
  if (!isCommandLike(firstCommand)) return;
  // prompt-less: each command line is a command; lines that are not commands are the output of
  // the command before them (a console pasted without prompts)
  const clean = body.map(stripAnsi);
  let i = 0;
  while (i < clean.length) {
    const c = bareCommand(clean[i]);
    if (c === undefined || !isCommandLike(clean[i])) {
      i++;
      continue;
    }
    i = b.command(c, clean, i, seg.start + i);
    const from = i;
    while (i < clean.length && !isCommandLike(clean[i])) i++;
    const cmd = b.lastCommand();
    if (cmd && cmd.line >= seg.start) b.output(cmd, clean, from, i, seg);
  }
  b.commandFence = k;
}

/** Parses a tutorial into its commands and files, in order. */
export function parseTranscript(text: string): Item[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const segs = segments(lines);
  const b = new Builder();
  segs.forEach((seg, k) => {
    if (seg.fence) fenceBlock(b, segs, k);
    else scanPrompted(b, seg.lines, seg, true);
  });
  return b.items;
}
