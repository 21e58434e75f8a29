import { describe, expect, it } from 'vitest';
import { imageNameError } from './images.js';
import { credentialHosts, needsCredentials, pullError } from './pull.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');

describe('pull outcomes (containerd errors as the kubelet prints them)', () => {
  it('known images and generic user/registry paths pull', () => {
    for (const i of ['nginx', 'busybox:1.28', 'myuser/app:1.0', 'registry.example.com/team/app', 'polinux/stress']) expect(pullError(i, []), i).toBeUndefined();
  });
  it('a tag that does not exist: NotFound', () => {
    expect(pullError('nginx:1.161', [])).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found',
    );
  });
  it('an official name Docker Hub does not have: pull access denied', () => {
    expect(pullError('ngnix', [])).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });
  it('private registries answer 401 without credentials for their host', () => {
    const want =
      'rpc error: code = Unknown desc = failed to pull and unpack image "private-registry.io/apps/internal-app:latest": failed to resolve reference "private-registry.io/apps/internal-app:latest": unexpected status from HEAD request to https://private-registry.io/v2/apps/internal-app/manifests/latest: 401 Unauthorized';
    expect(pullError('private-registry.io/apps/internal-app', [])).toBe(want);
    expect(pullError('private-registry.io/apps/internal-app', ['docker.io'])).toBe(want);
    expect(pullError('private-registry.io/apps/internal-app', ['private-registry.io'])).toBeUndefined();
    expect(pullError('myacr.azurecr.io/web:v1', ['*.azurecr.io'])).toBeUndefined();
    expect(pullError('myacr.azurecr.io/web:v1', [])).toMatch(/manifests\/v1: 401 Unauthorized$/);
  });
  it('a private repository on Docker Hub: pull access denied', () => {
    expect(pullError('myuser/private-app:1.0', [])).toMatch(/"docker\.io\/myuser\/private-app:1\.0": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/);
    expect(pullError('myuser/private-app:1.0', ['docker.io'])).toBeUndefined();
  });
  it('which references are private (the catalog rule)', () => {
    expect(needsCredentials('123456789012.dkr.ecr.us-east-1.amazonaws.com/app')).toBe(true);
    expect(needsCredentials('registry.example.com/private/app')).toBe(true);
    expect(needsCredentials('registry.example.com/team/app')).toBe(false);
    expect(needsCredentials('nginx')).toBe(false);
  });
});

describe('credentials in image pull secrets', () => {
  it('dockerconfigjson auths and dockercfg keys, Docker Hub under its names', () => {
    const json = { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64({ auths: { 'https://index.docker.io/v1/': {}, 'private-registry.io:5000': {}, 'https://r.example.com/v2/': {} } }) } };
    expect(credentialHosts(json)).toEqual(['docker.io', 'private-registry.io:5000', 'r.example.com']);
    expect(credentialHosts({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64({ 'registry.example.com': {} }) } })).toEqual(['registry.example.com']);
  });
  it('other secrets and unreadable configs give none', () => {
    expect(credentialHosts({ type: 'Opaque', data: { '.dockerconfigjson': b64({ auths: { x: {} } }) } })).toEqual([]);
    expect(credentialHosts({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'bm90IGpzb24=' } })).toEqual([]);
  });
});

describe('image names the kubelet cannot parse (InvalidImageName)', () => {
  it('valid references parse', () => {
    for (const i of ['nginx', 'nginx:1.27', 'library/nginx', 'localhost:5000/app:v1', 'Registry.Example.com/team/app', `nginx@sha256:${'a'.repeat(64)}`, 'a.b/c/d/e:f']) expect(imageNameError(i), i).toBeUndefined();
  });
  it('an upper-case repository name, a bad tag, a bare digest', () => {
    expect(imageNameError('Nginx')).toBe('couldn\'t parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase');
    expect(imageNameError('myuser/App:1.0')).toBe('couldn\'t parse image name "myuser/App:1.0": invalid reference format: repository name (myuser/App) must be lowercase');
    expect(imageNameError('nginx:1.27:alpine')).toBe('couldn\'t parse image name "nginx:1.27:alpine": invalid reference format');
    expect(imageNameError('nginx:')).toBe('couldn\'t parse image name "nginx:": invalid reference format');
    expect(imageNameError('a'.repeat(64))).toBe(`couldn't parse image name "${'a'.repeat(64)}": invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`);
  });
});
