// The text `kubectl edit` writes above the object in the editor's file (kubectl's
// pkg/cmd/util/editor editHeader.writeTo), and the CR/LF writer of --windows-line-endings.

/** Why the file is re-opened: one head line, and the causes listed under it. */
export interface EditReason {
  head: string;
  other: string[];
}

/** kubectl's hashOnLineBreak: a '#' after each line break not already followed by one. */
export function hashOnLineBreak(s: string): string {
  let r = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\n' && i + 1 < s.length && s[i + 1] !== '#') r += '\n# ';
    else r += ch;
  }
  return r;
}

/** The commented header, with the reasons of a failed save. */
export function editHeader(reasons: EditReason[], mode: 'normal' | 'apply' = 'normal'): string {
  let out =
    mode === 'apply'
      ? "# Please edit the 'last-applied-configuration' annotations below.\n# Lines beginning with a '#' will be ignored, and an empty file will abort the edit.\n#\n"
      : "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";
  for (const r of reasons) {
    out += r.other.length ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

/** Every "\n" written as "\r\n" (kubectl's crlf writer: an existing "\r" before it is kept). */
export function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}
