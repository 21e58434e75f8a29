// --exact: how kubesim's own golden transcripts are compared. A command's output is shown as a script
// sees it: stdout, then stderr with each line prefixed `! `, then `[exit N]` when it fails. It must
// match byte for byte (trailing spaces included) once the values that change every run are masked
// on both sides: UIDs, container IDs, image digests, exec ids, resourceVersions and the
// service-account volume's random suffix. No other tolerance: ages, names and times come from the
// frozen clock and are the same every run.

/** The transcript text of one command's result. */
export function renderExact(stdout: string, stderr: string, code: number): string {
  const parts: string[] = [];
  if (stdout) parts.push(stdout.replace(/\n$/, ''));
  if (stderr) parts.push(stderr.replace(/\n$/, '').split('\n').map((l) => `! ${l}`).join('\n'));
  if (code !== 0) parts.push(`[exit ${code}]`);
  // blank lines that end an output (explain prints some, also of spaces) cannot be told from the page's own
  return parts.join('\n').replace(/(?:\n[ \t]*)+$/, '');
}

/** Replaces the values that legitimately vary between runs with placeholders. */
export function maskVolatile(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<UID>')
    .replace(/containerd:\/\/[0-9a-f]{64}/g, 'containerd://<CONTAINER_ID>')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<DIGEST>')
    .replace(/start exec "[0-9a-f]{64}"/g, 'start exec "<EXEC_ID>"')
    .replace(/resourceVersion: "\d+"/g, 'resourceVersion: "<RV>"')
    .replace(/"resourceVersion": "\d+"/g, '"resourceVersion": "<RV>"')
    .replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-<ID>')
    // kubectl diff's temp directories and diff's file times, kubectl edit's temp file
    .replace(/\/(LIVE|MERGED)-\d+\//g, '/$1-<N>/')
    .replace(/^((?:---|\+\+\+) \S+)\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [-+]\d{4}$/gm, '$1\t<TIME>')
    .replace(/kubectl-edit-\d+\.(yaml|json)/g, 'kubectl-edit-<N>.$1');
}
