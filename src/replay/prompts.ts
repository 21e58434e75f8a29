// Shell prompts as tutorials print them, and the other small line classifications the parser needs.

/** Commands a line may start with after an ambiguous prompt (`# `, `> `) to count as a command. */
export const COMMAND_WORDS = new Set([
  'kubectl', 'k', 'kubesim', 'sudo', 'minikube', 'kind', 'docker', 'podman', 'curl', 'wget', 'cat', 'echo', 'export',
  'sleep', 'cd', 'ls', 'grep', 'watch', 'helm', 'git', 'alias', 'source', 'mkdir', 'rm', 'cp', 'mv', 'touch', 'vi',
  'vim', 'nano', 'tee', 'printf', 'unset', 'set', 'kubeadm', 'systemctl', 'journalctl', 'crictl', 'k3d', 'k3s',
  'microk8s', 'eksctl', 'gcloud', 'az', 'aws', 'openssl', 'base64', 'jq', 'yq', 'head', 'tail', 'wc', 'clear',
  'Get-Content', 'Set-Content', 'notepad', 'type', 'dir', 'cls', 'brew', 'apt', 'apt-get', 'snap', 'choco',
  'install', 'chmod', 'ssh', 'nslookup', 'ping', 'env', 'date', 'pwd', 'history', 'for', 'while', 'until',
]);

const UNAMBIGUOUS: RegExp[] = [
  /^\$ ?/, // $ cmd (also `$` alone)
  /^% /, // zsh
  /^[\w.-]+@[\w.-]+:[^\s$#]*[$#] /, // user@host:~$
  /^\[[^\]\n]+\][$#] /, // [root@host ~]#
  /^\u279c +\S+(?: +git:\([^)]*\))?(?: +\u2717)? +/, // ➜ ~  /  ➜ dir git:(main) ✗
  /^[\w.-]+ [$#] /, // controlplane $
  /^PS [A-Za-z]:\\[^>\n]*> /, // PS C:\>
  /^[A-Za-z]:\\[^>\n]*> /, // C:\Users\me>
  /^\/[^\s#$]* [#$] /, // a container's busybox shell: / #
  /^(?:ba)?sh-[\d.]+[#$] /, // bash-5.1#
];

const AMBIGUOUS: RegExp[] = [/^# /, /^> /];

export interface PromptHit {
  /** the command after the prompt (sudo dropped) */
  command: string;
  /** the prompt itself, trimmed (`$`, `root@web:/#`) */
  prompt: string;
}

function firstWord(s: string): string {
  return s.trimStart().split(/\s+/)[0] ?? '';
}

function dropSudo(command: string): string {
  return command.replace(/^sudo\s+(?:-E\s+)?(?=\S)/, '');
}

/** A prompt line's command, or undefined. `# ` and `> ` count only before a command word. */
export function promptCommand(line: string): PromptHit | undefined {
  const text = line.trimStart();
  for (const re of UNAMBIGUOUS) {
    const m = re.exec(text);
    if (m) {
      const rest = text.slice(m[0].length);
      // `$ ` alone is an empty prompt; `$5` or `$HOME` are not prompts
      if (m[0] === '$' && rest !== '' && !rest.startsWith(' ')) continue;
      return { command: dropSudo(rest.trim()), prompt: m[0].trim() };
    }
  }
  for (const re of AMBIGUOUS) {
    const m = re.exec(text);
    if (m && COMMAND_WORDS.has(firstWord(text.slice(m[0].length)))) return { command: dropSudo(text.slice(m[0].length).trim()), prompt: m[0].trim() };
  }
  return undefined;
}

/** A line in a prompt-less command block that is a command (not a comment or blank). */
export function bareCommand(line: string): string | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#') || t.startsWith('//')) return undefined;
  return dropSudo(t);
}

/** Whether a plain-text line reads as prose (starts a paragraph that ends a command's output). */
export function isProse(line: string): boolean {
  const t = line.trim();
  if (!t || /\s{2,}|\t/.test(t)) return false;
  if (/^(Error|Warning|error|warning|pod|deployment|service|No resources)\b/.test(t)) return false;
  if (proseWait(t) !== undefined) return true;
  const words = t.split(' ');
  return /^[A-Z][a-z]+,?$/.test(words[0]) && words.length >= 3 && /[.:!?)]$/.test(t) && !/^[A-Z][a-z]+:\s/.test(t);
}

/** "wait 30 seconds", "wait for about 2 minutes", "after 35 seconds": the wait in milliseconds. */
export function proseWait(text: string): number | undefined {
  const unit = String.raw`(\d+)\s*(seconds?|secs?|s|minutes?|mins?|m)\b`;
  const m =
    new RegExp(String.raw`\bwait(?:\s+for)?(?:\s+(?:about|around|at least|another))?\s+${unit}`, 'i').exec(text) ??
    // "After 35 seconds, view the Pod events" (not "After 30 seconds, the file is gone")
    new RegExp(String.raw`\bafter\s+(?:about\s+|another\s+)?${unit},?\s+(?:view|run|check|verify|list|get|look|see|describe|inspect|repeat|try|query|confirm)\b`, 'i').exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (m[2].toLowerCase().startsWith('m') ? 60_000 : 1000);
}

/** Prose that announces the next block as the previous command's output. */
export function announcesOutput(text: string): boolean {
  return /output\s+(?:is\s+|should\s+be\s+|will\s+be\s+|looks\s+)?(?:similar\s+to|like)|output\s+(?:shows|includes|contains|confirms|indicates)|\b(?:it|this)\s+(?:prints|outputs)|you\s+(?:should|will)\s+see|\boutput(?:\s+(?:is|was|should\s+be|will\s+be))?\s*:|the\s+(?:response|result)\s+is|shows?\s+something\s+like|returns?\s*:/i.test(
    text,
  );
}

/** A file name a prose line gives to the YAML block before or after it. */
export function proseFileName(text: string): string | undefined {
  const name = String.raw`([\w./\\-]+\.(?:ya?ml|json))`;
  const patterns = [
    new RegExp(String.raw`(?:save|saved|store|put|write|copy)\b[^\n]*?\b(?:as|to|in|into)\s+(?:a\s+file\s+(?:named|called)\s+)?[\`"']?${name}`, 'i'),
    new RegExp(String.raw`file\s+(?:named|called)\s+[\`"']?${name}`, 'i'),
    new RegExp(String.raw`^[\`"*]*${name}[\`"*]*\s*:?\s*$`),
    new RegExp(String.raw`^#+\s+[\`"]?${name}[\`"]?\s*$`),
    new RegExp(String.raw`(?:create|here is|here's|contents of|edit)\s+(?:a\s+|the\s+)?(?:file\s+)?[\`"']${name}[\`"']`, 'i'),
  ];
  for (const re of patterns) {
    const m = re.exec(text.trim());
    if (m) return m[1];
  }
  return undefined;
}

/** Whether text is a Kubernetes manifest (apiVersion and kind at the top level). */
export function looksLikeManifest(body: string): boolean {
  return /^apiVersion:\s*\S/m.test(body) && /^kind:\s*\S/m.test(body);
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, '');
}
