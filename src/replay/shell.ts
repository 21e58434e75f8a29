// What a transcript's command line is: a plain CLI invocation run directly, simple shell around the
// CLI (pipes to grep/head/wc, echo, export, cat…) run in just-bash with kubectl bound to the
// in-process CLI, or something that needs the host or the network, which is skipped with a reason.

/** Programs a transcript may use around kubectl; they run in just-bash over the scratch directory. */
const SHELL_OK = new Set([
  'kubectl', 'k', 'kubesim', 'echo', 'printf', 'export', 'unset', 'cat', 'grep', 'egrep', 'fgrep', 'head', 'tail',
  'wc', 'sort', 'uniq', 'awk', 'sed', 'cut', 'tr', 'sleep', 'cd', 'pwd', 'ls', 'mkdir', 'touch', 'tee', 'base64',
  'jq', 'yq', 'xargs', 'true', 'false', 'column', 'rm', 'cp', 'mv', 'test', '[', 'env', 'for', 'do', 'done',
  'while', 'if', 'then', 'fi', 'else', 'diff', 'nl', 'rev', 'seq', 'basename', 'dirname', 'find', 'tree', 'date',
]);

const SKIP: [RegExp, string][] = [
  [/^(minikube|kind|k3d|k3s|microk8s|kubeadm|eksctl|gcloud|az|aws|doctl|multipass|vagrant)$/, 'manages a real cluster or cloud; kubesim is the cluster'],
  [/^(docker|podman|nerdctl|crictl|ctr|buildah)$/, 'runs containers on the host'],
  [/^(curl|wget|http|nc|telnet|ping|nslookup|dig|ssh|scp|open|xdg-open|start)$/, 'reaches the network or the host'],
  [/^(vi|vim|nano|emacs|code|notepad|gedit)$/, 'opens an editor'],
  [/^(helm|kustomize|skaffold|tilt|istioctl|linkerd|argocd|flux|kubens|kubectx|k9s|stern)$/, 'is not simulated'],
  [/^(apt|apt-get|yum|dnf|brew|snap|choco|winget|pip|npm|install|systemctl|service|journalctl|chmod|chown|git)$/, 'changes the host'],
];

/** Splits a command line into words: quotes and backslash escapes, no expansions. */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      has = true;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) j++;
        cur += line[j++];
      }
      i = j;
      has = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      // a Windows path (`.\dir\pod.yaml`) keeps its backslashes; `\ `, `\"`, `\$`… escape
      cur += /[\w.-]/.test(line[i + 1]) ? ch : line[++i];
      has = true;
    } else if (ch === ' ' || ch === '\t') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** Whether the line needs a shell (pipes, redirections, lists, expansions, globs). */
export function needsShell(line: string): boolean {
  return /[|&;<>`$(){}*?]/.test(line.replace(/'[^']*'/g, "''").replace(/"(?:[^"\\$`]|\\.)*"/g, '""'));
}

/** The programs a shell line runs (first words of its simple commands). */
export function programs(line: string): string[] {
  const unquoted = line.replace(/'[^']*'/g, "''").replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return unquoted
    .split(/\|\||&&|[|;&]|\$\(|`|\bdo\b|\bthen\b|\belse\b/)
    .map((part) => part.trim().replace(/^(?:\w+=\S*\s+)+/, '').replace(/^[({!\s]+/, ''))
    .map((part) => part.split(/\s+/)[0] ?? '')
    .filter((w) => w && !/^\d*[<>]/.test(w) && !/^(done|fi|esac|\)|})$/.test(w) && !/^[A-Za-z_]\w*=/.test(w));
}

/** Why a line is not run, or undefined when it may run. */
export function skipReason(line: string): string | undefined {
  for (const p of programs(line)) {
    const name = p.replace(/^.*\//, '');
    for (const [re, why] of SKIP) if (re.test(name)) return `${name} ${why}`;
    if (!SHELL_OK.has(name)) return `${name} is not run (only kubectl and simple shell commands around it)`;
  }
  return undefined;
}

/** `watch [-n 1] [-d] CMD`: CMD, taken once. */
export function unwatch(line: string): string {
  return line.replace(/^watch(?:\s+(?:-n\s*\S+|--interval(?:=|\s+)\S+|-d|--differences|-t|--no-title|-x|--exec))*\s+/, '');
}

/** `sleep 5`, `sleep 1m`: the wait in ms when the line is only that. */
export function sleepOnly(line: string): number | undefined {
  const m = /^sleep\s+(\d+(?:\.\d+)?)([smh]?)\s*;?\s*$/.exec(line.trim());
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1000, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2]];
}

/** `A=b`, `export A=b`, `POD=$(kubectl get pods -o name)`: the variable and its value's text. */
export function assignment(line: string): { name: string; value: string; simple: boolean } | undefined {
  const m = /^(?:export\s+)?([A-Za-z_]\w*)=(.*)$/.exec(line.trim());
  if (!m) return undefined;
  const simple = !needsShell(m[2]);
  if (simple && splitWords(m[2]).length > 1) return undefined; // `A=b cmd`: a command with an environment
  return { name: m[1], value: simple ? splitWords(m[2]).join(' ') : m[2], simple };
}

/** `cd DIR` alone: DIR. */
export function cdOnly(line: string): string | undefined {
  const m = /^cd(?:\s+(\S+))?\s*$/.exec(line.trim());
  return m ? splitWords(m[1] ?? '/')[0] : undefined;
}

const SHELLS = /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|bash|ash|zsh)$/;

/**
 * `kubectl exec -it POD [-c C] -- sh`: an interactive shell the page goes on typing into. Returns the
 * exec arguments without -i/-t and the shell, or `run` for `kubectl run -it … -- sh`.
 */
export function interactiveShell(words: string[]): { exec: string[]; shell: string } | 'run' | undefined {
  if (!['kubectl', 'k'].includes(words[0])) return undefined;
  const dash = words.indexOf('--');
  if (dash < 0 || dash !== words.length - 2 || !SHELLS.test(words[dash + 1])) return undefined;
  const flags = words.slice(1, dash);
  if (!flags.some((w) => /^-[a-zA-Z]*i[a-zA-Z]*$/.test(w) || w === '--stdin')) return undefined;
  if (flags.includes('run')) return 'run';
  if (!flags.includes('exec')) return undefined;
  const exec = flags.flatMap((w) => {
    if (w === '--stdin' || w === '--tty') return [];
    if (/^-[a-zA-Z]+$/.test(w) && /[it]/.test(w)) {
      const rest = w.slice(1).replace(/[it]/g, '');
      return rest ? [`-${rest}`] : [];
    }
    return [w];
  });
  return { exec, shell: words[dash + 1] };
}
