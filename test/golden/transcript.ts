// Golden transcripts: `$ kubectl …` lines followed by the expected output. stdout lines are verbatim,
// stderr lines start with `! `, a non-zero exit is `[exit N]`. `<<EOF` … `EOF` feeds stdin.
// Volatile values are normalised on both sides (see normalize()).

export interface Step {
  command: string;
  stdin: string;
  expected: string;
}

export function parseTranscript(text: string): Step[] {
  const steps: Step[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.startsWith('$ ')) {
      i++;
      continue;
    }
    let command = line.slice(2);
    let stdin = '';
    i++;
    const heredoc = command.match(/\s*<<-?\s*'?(\w+)'?\s*$/);
    if (heredoc) {
      command = command.slice(0, heredoc.index);
      const body: string[] = [];
      while (i < lines.length && lines[i] !== heredoc[1]) body.push(lines[i++]);
      i++;
      stdin = `${body.join('\n')}\n`;
    }
    const out: string[] = [];
    while (i < lines.length && !lines[i].startsWith('$ ')) out.push(lines[i++]);
    while (out.length && out[out.length - 1] === '') out.pop();
    steps.push({ command, stdin, expected: out.join('\n') });
  }
  return steps;
}

/** The transcript text of one step's actual result. */
export function renderResult(stdout: string, stderr: string, code: number): string {
  const parts: string[] = [];
  if (stdout) parts.push(stdout.replace(/\n$/, ''));
  if (stderr) parts.push(stderr.replace(/\n$/, '').split('\n').map((l) => `! ${l}`).join('\n'));
  if (code !== 0) parts.push(`[exit ${code}]`);
  // Blank lines that end the output (explain prints some) cannot be told apart from the transcript's own.
  return parts.join('\n').replace(/\n+$/, '');
}

/** Replaces values that legitimately vary (ids, hashes, random suffixes) with placeholders. */
export function normalize(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<UID>')
    .replace(/containerd:\/\/[0-9a-f]{64}/g, 'containerd://<CONTAINER_ID>')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<DIGEST>')
    .replace(/start exec "[0-9a-f]{64}"/g, 'start exec "<EXEC_ID>"')
    .replace(/resourceVersion: "\d+"/g, 'resourceVersion: "<RV>"')
    .replace(/"resourceVersion": "\d+"/g, '"resourceVersion": "<RV>"')
    .replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-<ID>');
}
