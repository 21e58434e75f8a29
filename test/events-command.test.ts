// kubectl events (kubectl/pkg/cmd/events, 1.32): its table, sort, filters, -o and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'web', '--image=nginx']);
  await sb.run(['run', 'bad', '--image=nginx:nosuchtag']);
  await sb.run(['clock', 'advance', '2m']);
});
afterAll(() => sb.dispose());

describe('kubectl events', () => {
  it('lists the namespace events sorted by last seen, repeated ones with their count', async () => {
    const r = await sb.run(['events']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(r.stdout).toMatch(/\n2m +Normal +Scheduled +Pod\/web +Successfully assigned default\/web to minikube\n/);
    expect(r.stdout).toMatch(/\n\d+s \(x\d over \d+s\) +Warning +Failed +Pod\/bad +Error: ErrImagePull\n/);
    // oldest first
    const scheduled = lines.findIndex((l) => l.includes('Scheduled') && l.includes('Pod/web'));
    const started = lines.findIndex((l) => l.includes('Started container web'));
    expect(scheduled).toBeGreaterThan(0);
    expect(started).toBeGreaterThan(scheduled);
  });

  it('filters by object and type, case-insensitively, and -A adds the namespace', async () => {
    const r = await sb.run(['events', '--for', 'pod/bad', '--types=warning']);
    expect(r.stdout.split('\n')[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(r.stdout.trimEnd().split('\n').slice(1).every((l) => / Warning +Failed +Pod\/bad /.test(l))).toBe(true);
    const all = await sb.run(['events', '-A', '--no-headers', '--for', 'po/web']);
    expect(all.stdout).toMatch(/^default +2m +Normal +Scheduled +Pod\/web /);
  });

  it('says when there are none, and prints kubectl\'s errors', async () => {
    expect(await sb.run(['events', '-n', 'empty'])).toMatchObject({ stderr: 'No events found in empty namespace.\n', code: 0 });
    expect(await sb.run(['events', '-A', '--for', 'pod/nothing'])).toMatchObject({ stderr: 'No events found.\n', code: 0 });
    expect(await sb.run(['events', '--types=Info'])).toMatchObject({ stderr: 'error: valid --types are Normal or Warning\n', code: 1 });
    expect(await sb.run(['events', '--for', 'pod'])).toMatchObject({ stderr: 'error: --for must be in resource/name form\n', code: 1 });
    expect(await sb.run(['events', '--for', 'a/b/c'])).toMatchObject({ stderr: 'error: arguments in resource/name form may not have more than one slash\n', code: 1 });
    expect(await sb.run(['events', '--for', 'bogus/x'])).toMatchObject({ stderr: 'error: no matches for /, Resource=bogus\n', code: 1 });
    const wide = await sb.run(['events', '-o', 'wide']);
    expect(wide.stderr).toBe(
      'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    );
  });

  it('prints the EventList as typed JSON, and -w prints each event as the watch delivers it', async () => {
    const j = JSON.parse((await sb.run(['events', '-o', 'json', '--for', 'pod/web'])).stdout);
    expect(Object.keys(j)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(j.kind).toBe('EventList');
    expect(Object.keys(j.items[0]).slice(0, 4)).toEqual(['kind', 'apiVersion', 'metadata', 'involvedObject']);
    const w = await sb.run(['events', '-w', '--for', 'pod/web']);
    expect(w.stdout.split('\n')[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(w.code).toBe(0);
  });

  it('-w with the clock following wall time prints new events until --request-timeout ends the watch', async () => {
    const live = new Sandbox();
    try {
      await live.run(['run', 'web', '--image=nginx']);
      const r = await live.run(['events', '-w', '--request-timeout=10s']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
      // the pod's start-up events arrive while the watch runs
      expect(r.stdout).toMatch(/Started +Pod\/web +Started container web/);
    } finally {
      live.dispose();
    }
  });
});
