import { describe, expect, it } from 'vitest';
import { parseTranscript, type CommandItem, type FileItem } from './parse.js';

const commands = (text: string) => parseTranscript(text).filter((i): i is CommandItem => i.kind === 'command');
const files = (text: string) => parseTranscript(text).filter((i): i is FileItem => i.kind === 'file');

// Two transcripts in each prompt style: the prompt, then what follows it.
const STYLES: [string, string][] = [
  ['dollar', '$ '],
  ['root hash', '# '],
  ['oh-my-zsh home', '➜ ~ '],
  ['oh-my-zsh dirty dir', '➜  k8s git:(main) ✗ '],
  ['user@host', 'ubuntu@ip-172-31-5-9:~$ '],
  ['bracketed root', '[root@master ~]# '],
  ['killercoda', 'controlplane $ '],
  ['PowerShell', 'PS C:\\Users\\me> '],
  ['PowerShell drive', 'PS C:\\> '],
  ['continuation-style', '> '],
  ['busybox in a container', '/ # '],
  ['bash in a container', 'bash-5.1# '],
];

describe('prompt styles', () => {
  describe.each(STYLES)('%s', (_name, p) => {
    it('reads commands and the output up to the next prompt', () => {
      const text = `${p}kubectl run nginx --image=nginx\npod/nginx created\n${p}kubectl get pods\nNAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          9s\n`;
      expect(commands(text).map((c) => [c.line, c.command, c.expected])).toEqual([
        [1, 'kubectl run nginx --image=nginx', 'pod/nginx created'],
        [3, 'kubectl get pods', 'NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          9s'],
      ]);
    });
    it('reads sudo, a command without output and a paragraph of prose after the output', () => {
      const text = `Some intro text that is prose.\n\n${p}sudo kubectl delete pod nginx --now\n${p}kubectl get pods\nNo resources found in default namespace.\n\nThis shows the namespace is empty now.\n`;
      expect(commands(text).map((c) => [c.line, c.command, c.expected])).toEqual([
        [3, 'kubectl delete pod nginx --now', undefined],
        [4, 'kubectl get pods', 'No resources found in default namespace.'],
      ]);
    });
  });
});

describe('parseTranscript', () => {
  it('does not take comments for root prompts or prose for commands', () => {
    const text = '# Pods\n\n# This creates a pod\n$ kubectl run a --image=nginx\npod/a created\n';
    expect(commands(text).map((c) => c.command)).toEqual(['kubectl run a --image=nginx']);
  });

  it('drops trailing comments but not # inside quotes or words', () => {
    const text = "$ kubectl get pods   # list them\n$ kubectl get pods -o jsonpath='{.items[*]} # x'\n$ echo a#b\n";
    expect(commands(text).map((c) => c.command)).toEqual(['kubectl get pods', "kubectl get pods -o jsonpath='{.items[*]} # x'", 'echo a#b']);
  });

  it('joins backslash-wrapped lines (PS2 continuation prompts too)', () => {
    const text = '$ kubectl run web \\\n> --image=nginx \\\n>   --port=80\npod/web created\n';
    expect(commands(text)).toMatchObject([{ kind: 'command', line: 1, command: 'kubectl run web --image=nginx --port=80', expected: 'pod/web created' }]);
    const md = '```bash\nkubectl run web \\\n  --image=nginx\nkubectl get pods\n```\n';
    expect(commands(md).map((c) => [c.line, c.command])).toEqual([
      [2, 'kubectl run web --image=nginx'],
      [4, 'kubectl get pods'],
    ]);
  });

  it('strips ANSI colour from commands and outputs', () => {
    const text = '\x1b[32m➜\x1b[0m ~ kubectl get ns default\n\x1b[1mNAME\x1b[0m      STATUS   AGE\ndefault   Active   5m\n';
    expect(commands(text)).toMatchObject([{ kind: 'command', line: 1, command: 'kubectl get ns default', expected: 'NAME      STATUS   AGE\ndefault   Active   5m' }]);
  });

  it('reads Windows prompts and CRLF line ends', () => {
    const text = 'PS C:\\k8s> kubectl apply -f .\\03-workloads\\pod.yaml\r\npod/web created\r\nC:\\k8s> kubectl get pod web -o name\r\npod/web\r\n';
    expect(commands(text).map((c) => [c.command, c.expected])).toEqual([
      ['kubectl apply -f .\\03-workloads\\pod.yaml', 'pod/web created'],
      ['kubectl get pod web -o name', 'pod/web'],
    ]);
  });

  it('takes "The output is similar to:" blocks as the output of the command block before', () => {
    const text = [
      'Create the Pod:', '', '```shell', 'kubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml', '```', '',
      'Check it:', '', '```shell', 'kubectl get pods', '```', '', 'The output is similar to:', '', '```', 'NAME   READY   STATUS', 'nginx  1/1     Running', '```', '',
      'Some more prose.', '', '```', 'NAME   READY   STATUS', '```',
    ].join('\n');
    expect(commands(text).map((c) => [c.line, c.command, c.expected])).toEqual([
      [4, 'kubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml', undefined],
      [10, 'kubectl get pods', 'NAME   READY   STATUS\nnginx  1/1     Running'],
    ]);
  });

  it('reads prompted console blocks and ignores untagged blocks of plain text and other languages', () => {
    const text = '```console\n$ kubectl version --client\nClient Version: v1.31.0\n```\n\n```\nsome diagram\n```\n\n```go\nfmt.Println("x")\n```\n';
    expect(commands(text).map((c) => [c.command, c.expected])).toEqual([['kubectl version --client', 'Client Version: v1.31.0']]);
  });

  it('reads waits from the prose', () => {
    const text = '$ kubectl run a --image=nginx\npod/a created\n\nNow wait 30 seconds for the image to be pulled.\n$ kubectl get pods\n';
    expect(commands(text).map((c) => c.waitMs)).toEqual([undefined, 30_000]);
    const md = 'Wait for about 2 minutes.\n\n```shell\nkubectl get pods\n```\n';
    expect(commands(md)[0].waitMs).toBe(120_000);
    const k8s = 'After 30 seconds, `cat /tmp/healthy` returns a failure code.\n\n```shell\nkubectl get pods\n```\n\nAfter 35 seconds, view the Pod events again:\n\n```shell\nkubectl describe pod x\n```\n';
    expect(commands(k8s).map((c) => c.waitMs)).toEqual([undefined, 35_000]);
  });

  it('turns heredocs into files or stdin', () => {
    const text = [
      '$ cat <<EOF > pod.yaml', 'apiVersion: v1', 'kind: Pod', 'EOF',
      "$ kubectl apply -f - <<'EOF'", '> apiVersion: v1', '> kind: ConfigMap', '> EOF', 'configmap/x created',
      '$ cat > svc.yaml <<-END', '\tkind: Service', '\tEND',
    ].join('\n');
    expect(parseTranscript(text)).toMatchObject([
      { kind: 'file', line: 1, name: 'pod.yaml', content: 'apiVersion: v1\nkind: Pod\n' },
      { kind: 'command', line: 5, command: 'kubectl apply -f -', stdin: 'apiVersion: v1\nkind: ConfigMap\n', expected: 'configmap/x created' },
      { kind: 'file', line: 10, name: 'svc.yaml', content: 'kind: Service\n' },
    ]);
  });

  it('reads heredocs in prompt-less shell blocks', () => {
    const text = '```bash\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\nEOF\nkubectl get ns dev\n```\n';
    expect(commands(text).map((c) => [c.line, c.command, c.stdin])).toEqual([
      [2, 'kubectl apply -f -', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n'],
      [8, 'kubectl get ns dev', undefined],
    ]);
  });

  const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n';
  it.each([
    ['named before with a colon', `pod.yaml:\n\n\`\`\`yaml\n${POD}\`\`\`\n`, 'pod.yaml'],
    ['named before in code', `Save the following as \`web/pod.yaml\`:\n\n\`\`\`yaml\n${POD}\`\`\`\n`, 'web/pod.yaml'],
    ['named in a heading', `### pod.yaml\n\n\`\`\`yaml\n${POD}\`\`\`\n`, 'pod.yaml'],
    ['named in its first comment', `\`\`\`yaml\n# pod.yaml\n${POD}\`\`\`\n`, 'pod.yaml'],
    ['named after', `\`\`\`yaml\n${POD}\`\`\`\n\nSave this as \`pod.yaml\` and apply it.\n`, 'pod.yaml'],
    ['an untagged manifest named by a file name', `Create a file named "pod.yml" with:\n\n\`\`\`\n${POD}\`\`\`\n`, 'pod.yml'],
    ['plain text, no fence', `pod.yaml:\n${POD}\n$ kubectl apply -f pod.yaml\n`, 'pod.yaml'],
  ])('writes a YAML block %s', (_name, text, name) => {
    expect(files(text)).toEqual([expect.objectContaining({ name, content: POD })]);
  });

  it('does not take an unnamed YAML block or an announced -o yaml output for a file', () => {
    expect(files(`\`\`\`yaml\n${POD}\`\`\`\n`)).toEqual([]);
    const text = `\`\`\`shell\nkubectl get pod web -o yaml\n\`\`\`\n\nThe output is similar to this:\n\n\`\`\`yaml\n${POD}\`\`\`\n`;
    expect(parseTranscript(text)).toEqual([{ kind: 'command', line: 2, command: 'kubectl get pod web -o yaml', expected: POD.trimEnd(), at: { start: 8, end: 11, indent: '' }, excerpt: true }]);
  });

  it('reads indented fences in lists', () => {
    const text = '1. Create it:\n\n   ```shell\n   kubectl create ns dev\n   ```\n\n   The output is:\n\n   ```\n   namespace/dev created\n   ```\n';
    expect(commands(text).map((c) => [c.command, c.expected])).toEqual([['kubectl create ns dev', 'namespace/dev created']]);
  });

  it('reads kubernetes.io sources: repeated command lines, unannounced output in shell blocks, pasted consoles', () => {
    // shapes from content/en/docs/tasks/configure-pod-container/assign-memory-resource.md
    const text = [
      'View detailed information about the Pod:', '', '```shell', 'kubectl get pod memory-demo-2 --namespace=mem-example', '```', '',
      'At this point, the Container might be running or killed. Repeat the preceding command until the Container is killed:', '',
      '```shell', 'NAME            READY     STATUS      RESTARTS   AGE', 'memory-demo-2   0/1       OOMKilled   1          24s', '```', '',
      'View the Pod status:', '', '```shell', 'kubectl get pod memory-demo-3 --namespace=mem-example', '```', '',
      'The output shows that the Pod status is PENDING:', '', '```', 'kubectl get pod memory-demo-3 --namespace=mem-example',
      'NAME            READY     STATUS    RESTARTS   AGE', 'memory-demo-3   0/1       Pending   0          25s', '```', '',
      'The memory units:', '', '```shell', '128974848, 129e6, 129M , 123Mi', '```', '',
      'A console pasted without prompts:', '', '```', 'kubectl create ns dev', 'namespace/dev created', 'kubectl get ns dev -o name', 'namespace/dev', '```',
    ].join('\n');
    expect(commands(text).map((c) => [c.line, c.command, c.expected])).toEqual([
      [4, 'kubectl get pod memory-demo-2 --namespace=mem-example', 'NAME            READY     STATUS      RESTARTS   AGE\nmemory-demo-2   0/1       OOMKilled   1          24s'],
      [17, 'kubectl get pod memory-demo-3 --namespace=mem-example', 'NAME            READY     STATUS    RESTARTS   AGE\nmemory-demo-3   0/1       Pending   0          25s'],
      [37, 'kubectl create ns dev', 'namespace/dev created'],
      [39, 'kubectl get ns dev -o name', 'namespace/dev'],
    ]);
  });

  it('reads a shell block that opens with a comment line', () => {
    const text = ['```shell', '# Replace "hello-4111706356" with the job name in your system', 'pods=$(kubectl get pods -o name)', '```'].join('\n');
    expect(commands(text).map((c) => [c.line, c.command])).toEqual([[3, 'pods=$(kubectl get pods -o name)']]);
  });

  it('records where each shown output is, for --update', () => {
    const text = ['$ kubectl get ns', 'NAME   STATUS', '', 'Prose follows here.', '', '1. Then:', '', '   ```shell', '   kubectl get pods', '   ```', '', '   The output is similar to:', '', '   ```', '   kubectl get pods', '   No resources found', '   ```'].join('\n');
    expect(commands(text).map((c) => c.at)).toEqual([
      { start: 2, end: 2, indent: '' },
      { start: 16, end: 16, indent: '   ' },
    ]);
  });
});
