/**
 * The API Keys page in a real browser (Debian's Chromium driven by playwright-core), mounted
 * in the demo app exactly as `npm run demo` serves it, with the demo API beside it.
 * Browser-side code goes to page.evaluate as strings: a DOM lib reference in this file would
 * change the global types of the whole program.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createDemo, type Demo } from '../../examples/demo-app.js';
import { CHROMIUM, CHROMIUM_ARGS, describeWithBrowser } from './browser-support.js';

const root = path.resolve(__dirname, '../..');
const shots = path.join(root, '.tmp', 'screenshots');

/** Screenshots go to .tmp/; `UPDATE_SCREENSHOTS=1` also refreshes the committed ones in docs/. */
function keepShot(file: string): void {
  if (process.env.UPDATE_SCREENSHOTS === '1')
    copyFileSync(path.join(shots, file), path.join(root, 'docs', file));
}

describeWithBrowser('the API Keys page in Chromium', () => {
  jest.setTimeout(60_000);
  let demo: Demo;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  const requestedUrls: string[] = [];
  const cacheableSecretResponses: string[] = [];
  const alerts: string[] = [];
  const cspViolations: string[] = [];

  const api = async (key: string) =>
    (await fetch(`${base}/v1/companies`, { headers: { 'X-API-Key': key } })).status;

  /** The row of the key named `name`. */
  const rowOf = (name: string) =>
    page.locator('tbody tr', { has: page.locator('strong.name', { hasText: name }) });

  async function readSecret(): Promise<string> {
    const dialog = page.locator('#secret-dialog');
    await dialog.waitFor({ state: 'visible' });
    const secret = (await page.locator('#secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^kw_live_[0-9A-Za-z]{28}$/);
    return secret;
  }

  async function closeSecret(): Promise<void> {
    await Promise.all([page.waitForEvent('load'), page.click('#secret-done')]);
  }

  /** Creates a key through the page's form; returns the secret the dialog showed once. */
  async function createInPage(name: string): Promise<string> {
    await page.click('#create-open');
    await page.fill('#create-name', name);
    await page.fill('#create-scopes', 'companies:read');
    await page.click('#create-form button[type=submit]');
    const secret = await readSecret();
    await closeSecret();
    return secret;
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    demo = await createDemo();
    server = demo.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('request', (r) => requestedUrls.push(r.url()));
    page.on('response', (r) => {
      const control = r.headers()['cache-control'] ?? '';
      if (
        r.url().includes('/api/keys') &&
        r.request().method() === 'POST' &&
        control !== 'no-store'
      ) {
        cacheableSecretResponses.push(r.url());
      }
    });
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('signs in with the one-time link and lists the seeded key', async () => {
    await page.goto(base + demo.adminLogin);
    expect(new URL(page.url()).pathname).toBe('/admin/api-keys/');
    await expect(page.title()).resolves.toBe('API Keys');
    const row = rowOf('Demo key');
    await expect(row.locator('code.prefix').textContent()).resolves.toMatch(/^kw_live_\w{4}…$/);
    await expect(row.locator('.env').textContent()).resolves.toBe('Production');
    await expect(row.locator('td[data-label="Status"]').textContent()).resolves.toContain('Active');
    // The one-time link is spent: a second browser using it is refused.
    expect((await fetch(base + demo.adminLogin, { redirect: 'manual' })).status).toBe(401);
  });

  it('creates a key whose secret is shown once, works on the API, and is gone after a reload', async () => {
    await page.click('#create-open');
    await expect(page.evaluate<string | undefined>('document.activeElement?.id')).resolves.toBe(
      'create-name',
    );
    await page.fill('#create-name', 'CI runner');
    await page.selectOption('#create-environment', 'production');
    await page.fill('#create-scopes', 'companies:read');
    await page.fill('#create-per-minute', '120');
    await page.fill('#create-monthly', '50000');
    await page.fill('#create-customer', 'cus_42');
    await page.click('#create-form button[type=submit]');
    const secret = await readSecret();
    await expect(page.locator('#secret-warning').textContent()).resolves.toContain(
      'will not be shown again',
    );
    // Escape does not throw the secret away before it was copied.
    await page.keyboard.press('Escape');
    await expect(page.locator('#secret-dialog').isVisible()).resolves.toBe(true);
    await expect(page.locator('#secret-value').textContent()).resolves.toBe(secret);
    await expect(page.locator('#secret-copied').textContent()).resolves.toContain(
      'Copy the key first',
    );
    await page.screenshot({ path: path.join(shots, 'admin-secret.png') });
    keepShot('admin-secret.png');

    expect(await api(secret)).toBe(200);

    await closeSecret();
    await page.locator('#flash', { hasText: 'created' }).waitFor();
    await expect(rowOf('CI runner').locator('.customer').textContent()).resolves.toBe(
      'customer cus_42',
    );
    // Nowhere: not in the DOM, not in storage, not in any URL the browser asked for.
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    const storage = await page.evaluate<string>(
      'JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })',
    );
    expect(storage).not.toContain(secret);
    expect(requestedUrls.some((u) => u.includes(secret))).toBe(false);
  });

  it('revokes in the page: the API answers 401 at once; restore brings it back', async () => {
    const secret = await createInPage('Short-lived');
    expect(await api(secret)).toBe(200);

    await rowOf('Short-lived').locator('button[data-action=revoke]').click();
    await expect(page.locator('#confirm-title').textContent()).resolves.toBe(
      'Revoke “Short-lived”?',
    );
    // Only the rotate dialog asks for a grace period, only the block dialog for a date.
    expect([
      await page.locator('#confirm-grace').isVisible(),
      await page.locator('#confirm-until').isVisible(),
    ]).toEqual([false, false]);
    await Promise.all([page.waitForEvent('load'), page.click('#confirm-submit')]);
    await expect(
      rowOf('Short-lived').locator('td[data-label="Status"]').textContent(),
    ).resolves.toContain('Inactive');
    expect(await api(secret)).toBe(401);

    await Promise.all([
      page.waitForEvent('load'),
      rowOf('Short-lived').locator('button[data-action=restore]').click(),
    ]);
    expect(await api(secret)).toBe(200);
  });

  it('regenerates: the old secret is refused at once, the new one (shown once) works', async () => {
    const old = await createInPage('Billing sync');

    await rowOf('Billing sync').locator('button[data-action=regenerate]').click();
    expect([
      await page.locator('#confirm-grace').isVisible(),
      await page.locator('#confirm-until').isVisible(),
    ]).toEqual([false, false]);
    await page.click('#confirm-submit');
    const fresh = await readSecret();
    expect(fresh).not.toBe(old);
    await closeSecret();
    expect(await api(old)).toBe(401);
    expect(await api(fresh)).toBe(200);
    expect(await page.content()).not.toContain(fresh);
  });

  it('rotates with a grace period: old and new secrets both work meanwhile', async () => {
    const old = await createInPage('Mobile app');
    await rowOf('Mobile app').locator('button[data-action=rotate]').click();
    expect([
      await page.locator('#confirm-grace').isVisible(),
      await page.locator('#confirm-until').isVisible(),
    ]).toEqual([true, false]);
    await page.selectOption('#confirm-grace-input', '3600000');
    await page.click('#confirm-submit');
    const fresh = await readSecret();
    await closeSecret();
    expect([await api(old), await api(fresh)]).toEqual([200, 200]);
    await expect(
      rowOf('Mobile app').locator('td[data-label="Key"] small').textContent(),
    ).resolves.toMatch(/^old secret until /);
  });

  it('edits a key in place: the form is filled from the key, and new limits apply at once', async () => {
    const secret = await createInPage('Nightly export');
    await rowOf('Nightly export').locator('button[data-action=edit]').click();
    await page.locator('#edit-dialog').waitFor({ state: 'visible' });
    await expect(page.locator('#edit-name').inputValue()).resolves.toBe('Nightly export');
    await expect(page.locator('#edit-scopes').inputValue()).resolves.toBe('companies:read');
    await page.fill('#edit-name', 'Nightly export (throttled)');
    await page.fill('#edit-per-minute', '1');
    await Promise.all([page.waitForEvent('load'), page.click('#edit-form button[type=submit]')]);
    const row = rowOf('Nightly export (throttled)');
    await expect(row.locator('td[data-label="Rate limits"]').textContent()).resolves.toBe(
      '1 / min',
    );
    expect([await api(secret), await api(secret)]).toEqual([200, 429]);
  });

  it('blocks until a date and unblocks', async () => {
    const secret = await createInPage('Partner feed');
    await rowOf('Partner feed').locator('button[data-action=block]').click();
    expect([
      await page.locator('#confirm-grace').isVisible(),
      await page.locator('#confirm-until').isVisible(),
    ]).toEqual([false, true]);
    // The date is local; the dialog says what it is in UTC, as the list shows it.
    await expect(page.locator('#confirm-until-utc').textContent()).resolves.toMatch(
      /^= \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    await Promise.all([page.waitForEvent('load'), page.click('#confirm-submit')]);
    await expect(
      rowOf('Partner feed').locator('td[data-label="Status"]').textContent(),
    ).resolves.toMatch(/^Blockeduntil \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(await api(secret)).toBe(403);
    await Promise.all([
      page.waitForEvent('load'),
      rowOf('Partner feed').locator('button[data-action=unblock]').click(),
    ]);
    expect(await api(secret)).toBe(200);
  });

  it('edits the team on its page: canceling the subscription refuses its keys at once', async () => {
    const secret = await createInPage('Team check');
    await page.goto(`${base}/admin/api-keys/teams/team_demo`);
    await expect(page.locator('#team-plan').inputValue()).resolves.toBe('pro');
    await page.selectOption('#team-subscription', 'canceled');
    await Promise.all([page.waitForEvent('load'), page.click('#team-form button[type=submit]')]);
    await page.locator('#flash', { hasText: 'Team saved.' }).waitFor();
    await expect(page.locator('.facts').textContent()).resolves.toContain('Canceled');
    expect(await api(secret)).toBe(403);
    await page.selectOption('#team-subscription', 'active');
    await Promise.all([page.waitForEvent('load'), page.click('#team-form button[type=submit]')]);
    expect(await api(secret)).toBe(200);
    await page.goto(`${base}/admin/api-keys/`);
  });

  it('renders a key named like an XSS payload as inert text', async () => {
    const name = '<img src=x onerror=alert(1)>';
    await page.click('#create-open');
    await page.fill('#create-name', name);
    await page.click('#create-form button[type=submit]');
    await readSecret();
    await expect(page.locator('#secret-for').textContent()).resolves.toContain(name);
    await closeSecret();
    await expect(page.locator('strong.name', { hasText: name }).textContent()).resolves.toBe(name);
    await expect(page.locator('main img').count()).resolves.toBe(0);
    // Open the confirm dialog, whose title repeats the name.
    await rowOf(name).locator('button[data-action=revoke]').click();
    await expect(page.locator('#confirm-title').textContent()).resolves.toBe(`Revoke “${name}”?`);
    await page.locator('#confirm-dialog button[data-close]').click();
    expect(alerts).toEqual([]);
    await page.reload();
    await page.screenshot({ path: path.join(shots, 'admin-list.png'), fullPage: true });
    keepShot('admin-list.png');
  });

  it('works on a narrow screen, runs under the CSP without a violation, and never let a secret be cached', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(shots, 'admin-narrow.png') });
    expect(cspViolations).toEqual([]);
    expect(cacheableSecretResponses).toEqual([]);
  });
});
