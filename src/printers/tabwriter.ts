// Emulation of Go's text/tabwriter (and liggitt/tabwriter, its fork with RememberWidths) as used by
// kubectl: `get` tables (minwidth 6, tabwidth 4, padding 3, RememberWidths) and describe
// (minwidth 0, tabwidth 8, padding 2). Cells are tab-terminated; a column block is a run of
// consecutive lines having a cell in that column; the last cell of a line is never padded.

interface Cell {
  text: string;
  width: number;
  htab: boolean;
}

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
  /** liggitt/tabwriter RememberWidths: column widths never shrink across flushes. */
  rememberWidths?: boolean;
}

/** Code points (Go's rune count); a string without surrogates has as many as its length. */
const runeCount = (s: string): number => {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
};
const SURROGATE = /[\ud800-\udfff]/;
const SPECIAL = /[\f\n\r\x1b]/;
const CONTROL = /[\t\v\n\f]/;

/** A stateful writer: write() text, flush() returns the formatted output so far. */
export class TabWriter {
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];
  private maxwidths: number[] = [];
  private out: string[] = [];

  constructor(private readonly opts: TabwriterOptions) {}

  write(text: string): this {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
        this.cell += text.slice(start, i);
        start = i + 1;
        const ncells = this.terminateCell(ch === '\t');
        if (ch === '\n' || ch === '\f') {
          this.lines.push([]);
          if (ch === '\f' || ncells === 1) this.flushInternal();
        }
      }
    }
    this.cell += text.slice(start);
    return this;
  }

  /**
   * write() of one line of cells joined by tabs, without joining and scanning them again (cells
   * holding a tab, vertical tab or form feed go through write()).
   */
  writeRow(cells: string[]): this {
    if (this.cell.length > 0 || cells.some((c) => CONTROL.test(c))) return this.write(`${cells.join('\t')}\n`);
    const line = this.lines[this.lines.length - 1];
    const last = cells.length - 1;
    for (let i = 0; i < last; i++) line.push({ text: cells[i], width: runeCount(cells[i]), htab: true });
    this.cell = cells[last] ?? '';
    const ncells = this.terminateCell(false);
    this.lines.push([]);
    if (ncells === 1) this.flushInternal();
    return this;
  }

  /** Formats everything buffered and returns all output produced since the last take. */
  flush(): string {
    this.flushInternal();
    return this.take();
  }

  /** Output produced by automatic flushes (lines without tabs) not yet taken. */
  take(): string {
    const s = this.out.join('');
    this.out = [];
    return s;
  }

  setRememberedWidths(widths: number[]): void {
    this.maxwidths = [...widths];
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: runeCount(this.cell), htab });
    this.cell = '';
    return line.length;
  }

  private flushInternal(): void {
    if (this.cell.length > 0) this.terminateCell(false);
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.cell = '';
    this.widths = [];
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      line.forEach((c, j) => {
        this.out.push(c.text);
        if (j < this.widths.length) this.out.push(' '.repeat(Math.max(0, this.widths[j] - c.width)));
      });
      if (i + 1 === this.lines.length) {
        this.out.push(this.cell);
      } else {
        this.out.push('\n');
      }
    }
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= this.lines[t].length - 1) continue;
      // a column block starts at line t
      this.writeLines(line0, t);
      line0 = t;
      let width = this.opts.minwidth;
      for (; t < line1; t++) {
        const line = this.lines[t];
        if (column >= line.length - 1) break;
        const w = line[column].width + this.opts.padding;
        if (w > width) width = w;
      }
      if (this.opts.rememberWidths) {
        const k = this.widths.length;
        if (this.maxwidths.length < k) this.maxwidths.push(...this.widths.slice(this.maxwidths.length));
        if (this.maxwidths.length === k) this.maxwidths.push(width);
        else if (this.maxwidths[k] > width) width = this.maxwidths[k];
        else if (this.maxwidths[k] < width) this.maxwidths[k] = width;
      }
      this.widths.push(width);
      this.format(line0, t);
      this.widths.pop();
      line0 = t;
    }
    this.writeLines(line0, line1);
  }
}

/**
 * What TabWriter gives for lines that all have the same number (2 or more) of cells, none holding a
 * tab, vertical tab, newline or form feed, written and flushed at once (kubectl get's tables): each
 * column but the last as wide as its widest cell plus `padding` (at least `minwidth`). Computed
 * directly, without the per-cell bookkeeping of the general case; undefined for other lines.
 */
export function layoutUniform(lines: string[][], minwidth: number, padding: number): string | undefined {
  const n = lines[0]?.length ?? 0;
  if (n < 2) return undefined;
  const widths = new Array<number>(n - 1).fill(minwidth);
  const cellWidths: number[][] = [];
  for (const line of lines) {
    if (line.length !== n) return undefined;
    const ws = new Array<number>(n - 1);
    for (let j = 0; j < n; j++) {
      const c = line[j];
      if (CONTROL.test(c)) return undefined;
      if (j === n - 1) break;
      const w = runeCount(c);
      ws[j] = w;
      if (w + padding > widths[j]) widths[j] = w + padding;
    }
    cellWidths.push(ws);
  }
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const ws = cellWidths[i];
    let text = '';
    for (let j = 0; j < n - 1; j++) text += line[j] + ' '.repeat(widths[j] - ws[j]);
    out.push(`${text}${line[n - 1]}\n`);
  }
  return out.join('');
}

/** Go text/tabwriter as kubectl describe configures it (minwidth 0, tabwidth 8, padding 2, ' '). */
export function goTabwriter(text: string): string {
  return new TabWriter({ minwidth: 0, padding: 2 }).write(text).flush();
}

/** Table cell text as the cli-runtime table printer writes it: cut at the first \n \r \f (+ `...`), ESC → `^[`. */
export function sanitizeCell(cell: string): string {
  if (!SPECIAL.test(cell)) return cell;
  let s = cell;
  const m = /[\f\n\r]/.exec(s);
  let truncated = false;
  if (m) {
    s = s.slice(0, m.index);
    truncated = true;
  }
  s = s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
  return truncated ? `${s}...` : s;
}

/**
 * kubectl get table layout: rows (header first, if any) of cells; minwidth 6, padding 3, the last
 * cell of a line unpadded. Cells are sanitized unless `raw`. Returns '' for no rows. Rows with the
 * same number of cells (a table's usual shape) are laid out directly (layoutUniform).
 */
export function layoutTable(rows: string[][], opts: { raw?: boolean } = {}): string {
  if (!rows.length) return '';
  const cells = opts.raw ? rows : rows.map((r) => r.map(sanitizeCell));
  const uniform = layoutUniform(cells, 6, 3);
  if (uniform !== undefined) return uniform;
  const w = new TabWriter({ minwidth: 6, padding: 3, rememberWidths: true });
  for (const r of cells) w.writeRow(r);
  return w.flush();
}
