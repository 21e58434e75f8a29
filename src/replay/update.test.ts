import { describe, expect, it } from 'vitest';
import { parseTranscript, type CommandItem } from './parse.js';
import { applyRewrites, mergeOutput } from './update.js';

describe('--update', () => {
  it('keeps lines that still match as written, wildcards too, and takes the rest from the actual output', () => {
    const expected = 'NAME    READY   STATUS    RESTARTS   AGE\nweb     0/1     Pending   0          5m\n[..] extra';
    const actual = 'NAME    READY   STATUS    RESTARTS   AGE\nweb     1/1     Running   0          5s\nsomething extra';
    expect(mergeOutput(expected, actual)).toEqual(['NAME    READY   STATUS    RESTARTS   AGE', 'web     1/1     Running   0          5s', '[..] extra']);
    expect(mergeOutput('Name:  web\n...\nIP:  10.1.0.9', 'Name:  web\nNamespace:  default\nNode:  minikube\nIP:  10.244.0.3')).toEqual(['Name:  web', '...', 'IP:  10.1.0.9']);
    expect(mergeOutput('Name:  web\n...\nIP:  none', 'Name:  web\nNamespace:  default\nIP:  10.244.0.3\nQoS:  BestEffort')).toEqual(['Name:  web', '...', 'IP:  10.244.0.3', 'QoS:  BestEffort']);
  });

  it('rewrites outputs in place, in prompted blocks and indented output blocks, keeping prose and line ends', () => {
    const text = [
      '$ kubectl get ns', 'NAME   STATUS', 'old    Active', '', 'This prose stays as it is.', '', '1. Then:', '', '   ```shell', '   kubectl get pods', '   ```', '',
      '   The output is similar to:', '', '   ```', '   pod one', '   pod two', '   ```', '',
    ].join('\r\n');
    const [a, b] = parseTranscript(text).filter((i): i is CommandItem => i.kind === 'command');
    const out = applyRewrites(text, [
      { at: a.at!, expected: a.expected!, actual: 'NAME      STATUS\ndefault   Active\n' },
      { at: b.at!, expected: b.expected!, actual: 'No resources found in default namespace.\n' },
    ]);
    expect(out.split('\r\n')).toEqual([
      '$ kubectl get ns', 'NAME   STATUS', 'default   Active', '', 'This prose stays as it is.', '', '1. Then:', '', '   ```shell', '   kubectl get pods', '   ```', '',
      '   The output is similar to:', '', '   ```', '   No resources found in default namespace.', '   ```', '',
    ]);
  });

  it('--exact: rewrites outputs whole and fills in the output of a command that showed none', () => {
    const text = '```console\n$ kubectl get pods\nNAME   AGE\nweb    5s\n$ kubectl delete pod web\n$ kubectl get pods\n```\n';
    const [a, b] = parseTranscript(text).filter((i): i is CommandItem => i.kind === 'command');
    expect(b.at).toEqual({ start: 6, end: 5, indent: '' });
    const out = applyRewrites(text, [
      { at: a.at!, expected: a.expected!, actual: 'NAME   AGE\nweb    6s' },
      { at: b.at!, expected: '', actual: 'pod "web" deleted' },
    ], true);
    expect(out).toBe('```console\n$ kubectl get pods\nNAME   AGE\nweb    6s\n$ kubectl delete pod web\npod "web" deleted\n$ kubectl get pods\n```\n');
  });
});
