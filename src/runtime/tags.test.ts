import { describe, expect, it } from 'vitest';
import { resolveImage } from './catalog.js';
import { matchTag, type TagRules } from './tags.js';

const RULES: TagRules = {
  aliases: { latest: '1.37.0', stable: '1.36.1' },
  ranges: [
    { versions: { '1.28': 4, '1.36': 1, '1.37': 0 }, suffixes: { '': 'glibc', '-musl': 'musl' } },
    { versions: { '20.0-2': 1 }, suffixes: { '': 'node' } },
    { versions: { '24.04': -1 }, suffixes: { '': 'ubuntu' } },
  ],
};

describe('tag rules', () => {
  it('a version prefix names its newest patch; patches up to it exist', () => {
    expect(matchTag(RULES, '1.28')).toMatchObject({ variant: 'glibc', version: '1.28.4' });
    expect(matchTag(RULES, '1.28.0')).toMatchObject({ version: '1.28.0' });
    expect(matchTag(RULES, '1.28.4-musl')).toMatchObject({ variant: 'musl', version: '1.28.4' });
    expect(matchTag(RULES, '1.28.5')).toBeUndefined();
    expect(matchTag(RULES, '1.28.04')).toBeUndefined();
    expect(matchTag(RULES, '1.281')).toBeUndefined();
  });
  it('aliases and bare suffixes (the latest version)', () => {
    expect(matchTag(RULES, 'stable-musl')).toMatchObject({ variant: 'musl', version: '1.36.1' });
    expect(matchTag(RULES, 'musl')).toMatchObject({ variant: 'musl', version: '1.37.0' });
    expect(matchTag(RULES, 'latest')).toMatchObject({ version: '1.37.0' });
    expect(matchTag(RULES, 'sometag')).toBeUndefined();
    expect(matchTag(RULES, '1.28-perl')).toBeUndefined();
  });
  it('A.B-C ranges of minors, and prefixes without patch tags', () => {
    expect(matchTag(RULES, '20.1.1')).toMatchObject({ version: '20.1.1' });
    expect(matchTag(RULES, '20.3')).toBeUndefined();
    expect(matchTag(RULES, '24.04')).toMatchObject({ variant: 'ubuntu', version: '24.04' });
    expect(matchTag(RULES, '24.04.1')).toBeUndefined();
  });
});

function summary(image: string): string {
  const r = resolveImage(image);
  if (!r.found) return `no ${r.why}`;
  const p = r.variant.process;
  return `${r.variant.os} ${String(p.version ?? p.pythonVersion ?? p.nodeVersion ?? '-')}${r.known ? '' : ' generic'}`;
}

describe('the catalog: tags that really exist run, others do not', () => {
  it.each([
    ['busybox:1.28', 'busybox 1.28.4'],
    ['busybox:1.28.1-uclibc', 'busybox 1.28.1'],
    ['busybox:1.36', 'busybox 1.36.1'],
    ['busybox:musl', 'busybox 1.37.0'],
    ['nginx:1.16', 'debian11 1.16.1'],
    ['nginx:1.14.2', 'debian9 1.14.2'],
    ['nginx:1.19.10-alpine-perl', 'alpine315 1.19.10'],
    ['nginx:stable-alpine', 'alpine320 1.26.2'],
    ['nginx:1.27-alpine-slim', 'alpine320 1.27.3'],
    ['nginx:mainline-bookworm-perl', 'debian12 1.27.3'],
    ['python:3.10-slim', 'debian12 3.10.15'],
    ['python:3.7-alpine', 'alpine315 3.7.17'],
    ['python:3.12-slim-bookworm', 'debian12 3.12.7'],
    ['node:18-alpine', 'alpine315 18.20.5'],
    ['node:lts', 'debian12 22.11.0'],
    ['redis:6.2-alpine', 'alpine320 6.2.16'],
    ['httpd:2.4.58', 'debian12 2.4.58'],
    ['postgres:13', 'debian12 13.18'],
    ['postgres:16-alpine', 'alpine320 16.6'],
    ['mysql:5.7', 'oraclelinux9 5.7.44'],
    ['alpine:3.16', 'alpine315 -'],
    ['debian:buster-slim', 'debian11 -'],
    ['debian:stretch', 'debian9 -'],
    ['debian:trixie-slim', 'debian12 -'],
    ['busybox:unstable-musl', 'busybox 1.37.0'],
    ['ubuntu:bionic', 'ubuntu2004 -'],
    ['ubuntu:jammy', 'ubuntu2204 -'],
  ])('%s runs %s', (image, want) => expect(summary(image)).toBe(want));

  it.each(['nginx:1.161', 'nginx:sometag', 'nginx:1.27.9', 'busybox:1.19', 'busybox:1.37-perl', 'python:3.14', 'ubuntu:18.04.1', 'alpine:3.99', 'postgres:18'])(
    '%s has no such tag',
    (image) => expect(summary(image)).toBe('no tag'),
  );

  it('digests: accepted for known repositories (the tag they come with, else latest)', () => {
    const d = `sha256:${'ab'.repeat(32)}`;
    expect(summary(`nginx@${d}`)).toBe('debian12 1.27.3');
    expect(summary(`nginx:1.25@${d}`)).toBe('debian12 1.25.5');
    expect(summary('nginx@sha256:123')).toBe('no tag');
    expect(summary('docker.io/nginx:1.25')).toBe('debian12 1.25.5');
    expect(summary('index.docker.io/library/busybox:1.28')).toBe('busybox 1.28.4');
    expect(summary('docker.io/ngnix')).toBe('no repo');
  });

  it('an official name Docker Hub does not have fails; user and registry paths run the generic image', () => {
    expect(summary('ngnix')).toBe('no repo');
    expect(summary('example-image:1.0')).toBe('no repo');
    expect(summary('myuser/app:1.0')).toBe('debian12 - generic');
    expect(summary('registry.example.com/team/app')).toBe('debian12 - generic');
    expect(summary('localhost:5000/app:v1')).toBe('debian12 - generic');
  });

  it('busybox <= 1.28 has the old nslookup (marked in the data)', () => {
    const ns = (image: string) => (resolveImage(image) as { variant: { process: Record<string, unknown> } }).variant.process.nslookup;
    expect(ns('busybox:1.28')).toBe('old');
    expect(ns('busybox:1.27.2')).toBe('old');
    expect(ns('busybox:1.29')).toBe('new');
    expect(ns('busybox')).toBe('new');
    expect(ns('registry.k8s.io/busybox')).toBe('old');
  });

  it('task-page images', () => {
    expect(summary('registry.k8s.io/busybox:1.27.2')).toBe('busybox 1.27.2');
    expect(summary('registry.k8s.io/e2e-test-images/agnhost:2.40')).toBe('alpine319 -');
    expect(summary('registry.k8s.io/e2e-test-images/agnhost:2.99')).toBe('no tag');
    expect(summary('registry.k8s.io/pause:3.9')).toBe('scratch -');
    expect(summary('registry.k8s.io/goproxy:0.1')).toBe('scratch -');
    expect(summary('registry.k8s.io/liveness')).toBe('scratch -');
    expect(summary('registry.k8s.io/etcd:3.5.1-0')).toBe('distroless11 3.5.1');
    expect(summary('registry.k8s.io/etcd:3.5.99-0')).toBe('no tag');
    expect(summary('gcr.io/google-samples/node-hello:1.0')).toBe('debian9 4.4.7');
  });
});

describe('OS images name their own release', () => {
  it('alpine:3.16 says 3.16.9 in /etc/alpine-release and /etc/os-release', () => {
    const r = resolveImage('alpine:3.16') as { variant: { files?: Record<string, string> } };
    expect(r.variant.files?.['/etc/alpine-release']).toBe('3.16.9\n');
    expect(r.variant.files?.['/etc/os-release']).toMatch(/VERSION_ID=3\.16\.9\nPRETTY_NAME="Alpine Linux v3\.16"/);
    const same = resolveImage('alpine:3.20.3') as { variant: { files?: Record<string, string> } };
    expect(same.variant.files?.['/etc/alpine-release']).toBeUndefined();
  });
});

describe('debian point releases', () => {
  it.each([
    ['debian:12.5', '12.5\n'],
    ['debian:11', '11.11\n'],
    ['debian:11.3-slim', '11.3\n'],
    ['debian:stretch', '9.13\n'],
  ])('%s: /etc/debian_version is %j', (image, want) => {
    const r = resolveImage(image) as { variant: { files?: Record<string, string> }; os: { files: Record<string, string> } };
    expect(r.variant.files?.['/etc/debian_version'] ?? r.os.files['/etc/debian_version']).toBe(want);
  });
});
