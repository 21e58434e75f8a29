// kubectl describe's PrefixWriter over a Go text/tabwriter (minwidth 0, tabwidth 8, padding 2).

import { TabWriter } from '../tabwriter.js';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

export class PrefixWriter {
  private readonly tw = new TabWriter({ minwidth: 0, padding: 2 });
  private out = '';

  /** Writes text (already formatted) with 2×level spaces in front; ESC and CR are escaped. */
  write(level: number, text: string): void {
    this.tw.write(`${'  '.repeat(level)}${text}`.replace(/\x1b/g, '^[').replace(/\r/g, '\\r'));
  }

  /** fmt.Sprintln-style line without indentation. */
  writeLine(...parts: string[]): void {
    this.write(0, `${parts.join(' ')}\n`);
  }

  /** Formats everything written so far (the next lines get their own column widths). */
  flush(): void {
    this.out += this.tw.flush();
  }

  toString(): string {
    this.flush();
    return this.out;
  }
}

/** Runs a describer body against a fresh writer and returns the text (tabbedString). */
export function tabbedString(f: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  f(w);
  return w.toString();
}

/** A writer that adds `indent` levels (NestedPrefixWriter). */
export class NestedWriter {
  constructor(
    private readonly w: PrefixWriter | NestedWriter,
    private readonly indent: number,
  ) {}

  write(level: number, text: string): void {
    this.w.write(level + this.indent, text);
  }

  writeLine(...parts: string[]): void {
    this.w.write(this.indent, `${parts.join(' ')}\n`);
  }

  flush(): void {
    this.w.flush();
  }
}

export type Writer = PrefixWriter | NestedWriter;
