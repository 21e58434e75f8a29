// kubesim serve's live page (/ui) in headless Chromium: nodes with their pods as cards, a pod created
// by the CLI appearing without a reload (the page follows the watches), a click showing its describe.
// Skipped where there is no Chromium (.ci/run installs Debian's). UPDATE_SCREENSHOT=1 rewrites
// docs/kubesim-ui.png, the README's picture.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const bin = join(root, 'bin', 'kubesim');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const home = mkdtempSync(join(tmpdir(), 'kubesim-ui-'));
const env: NodeJS.ProcessEnv = { ...process.env, KUBESIM_HOME: home };
delete env.NODE_EXTRA_CA_CERTS;
const ks = (...args: string[]) => execFileSync(bin, args, { env, encoding: 'utf8' });

describe.skipIf(!CHROMIUM)('the live page in a browser', () => {
  let server: ChildProcess;
  let url = '';

  beforeAll(async () => {
    ks('clock', 'freeze');
    ks('create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    ks('expose', 'deployment', 'web', '--port=80');
    ks('clock', 'advance', '30s');
    server = spawn(bin, ['serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((done) => {
      let out = '';
      server.stdout!.on('data', (d) => {
        out += d;
        const m = /on (http:\/\/\S+)\n/.exec(out);
        if (m) done(m[1]);
      });
    });
  }, 60_000);

  afterAll(() => {
    server?.kill('SIGINT');
    rmSync(home, { recursive: true, force: true });
  });

  it('shows the nodes and pods, follows changes, and describes a clicked pod', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${url}/ui`);
      await page.waitForSelector('.node');
      expect(await page.locator('.node').first().textContent()).toContain('minikube');
      await page.waitForSelector('.pod.Running[data-name^="web-"]');
      expect(await page.locator('.pod[data-name^="web-"]').count()).toBe(2);
      // a pod the CLI creates appears without a reload
      ks('run', 'late', '--image=busybox', '--', 'sleep', '3600');
      await page.waitForSelector('.pod[data-name="late"]', { timeout: 20_000 });
      await page.locator('.pod[data-name^="web-"]').first().click();
      await page.waitForFunction("(document.getElementById('dtext')?.textContent ?? '').includes('Controlled By:')", undefined, { timeout: 20_000 }).catch(async (e) => {
        throw new Error(`${(e as Error).message}\n${await page.locator('#dtext').textContent()}`);
      });
      expect(await page.locator('#dtitle').textContent()).toMatch(/^pod default\/web-/);
      if (process.env.UPDATE_SCREENSHOT) {
        mkdirSync(join(root, 'docs'), { recursive: true });
        await page.screenshot({ path: join(root, 'docs', 'kubesim-ui.png') });
      }
    } finally {
      await browser.close();
    }
  }, 90_000);
});
