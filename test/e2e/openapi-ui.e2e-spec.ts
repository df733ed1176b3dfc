import { chromium, type Browser, type Page } from 'playwright-core';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';

const LIST = '/api/v1/accounts/{account_id}/conversations';
const META = `${LIST}/meta`;

/** Debian's chromium (.ci/run installs it): playwright-core downloads no browser of its own. */
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

describe('API documentation', () => {
  const { baseUrl } = e2eEnvironment();

  it('serves the OpenAPI document at /docs/openapi.json, without a token', async () => {
    const res = await fetch(`${baseUrl}/docs/openapi.json`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths[LIST]).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths[META])).toEqual(['get']);
  });

  describe('Swagger UI at /docs', () => {
    let browser: Browser;
    let page: Page;
    /** Anything the page asks of another origin: the UI must work with no internet. */
    const foreignRequests: string[] = [];
    const pageErrors: string[] = [];

    beforeAll(async () => {
      browser = await chromium.launch(CHROMIUM);
      page = await browser.newPage();
      await page.route(
        (url) => url.origin !== baseUrl,
        (route) => {
          foreignRequests.push(route.request().url());
          return route.abort();
        },
      );
      page.on('pageerror', (error) => pageErrors.push(error.message));
      const response = await page.goto(`${baseUrl}/docs`);
      expect(response?.status()).toBe(200);
      await page.locator('.opblock').first().waitFor();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('renders each operation with its method, path and summary, from assets the gateway serves itself', async () => {
      const operations = await page.locator('.opblock').evaluateAll((blocks) =>
        blocks.map((block) => [
          block.querySelector('.opblock-summary-method')?.textContent,
          block.querySelector('.opblock-summary-path')?.getAttribute('data-path'),
          block.querySelector('.opblock-summary-description')?.textContent,
        ]),
      );
      expect(operations.filter(([, path]) => path?.startsWith('/api/'))).toEqual([
        ['GET', LIST, 'Conversations List'],
        ['POST', LIST, 'Create New Conversation'],
        ['GET', META, 'Conversation Counts'],
      ]);
      expect(foreignRequests).toEqual([]);
      expect(pageErrors).toEqual([]);
    });

    it('offers the three ways to send the token, and a call made with one of them answers 200', async () => {
      await page.locator('.auth-wrapper .authorize').click();
      const schemes = page.locator('.modal-ux .auth-container');
      await expect(schemes.locator('h4').allTextContents()).resolves.toEqual([
        expect.stringContaining('api_access_token'),
        expect.stringContaining('api-access-token'),
        expect.stringContaining('bearer'),
      ]);
      const apiKey = schemes.first();
      await apiKey.locator('input').fill(TOKENS.admin);
      await apiKey.locator('button.authorize').click();
      await page.locator('.modal-ux .close-modal').click();

      const list = page.locator('#operations-Conversation-conversationList');
      await list.locator('.opblock-summary').click();
      await list.locator('.try-out__btn').click();
      await list.locator('tr[data-param-name="account_id"] input').fill('1');
      await list.locator('.execute').click();
      await expect(list.locator('.live-responses-table tbody .response-col_status').textContent()).resolves.toContain('200');
      expect(foreignRequests).toEqual([]);
    });
  });
});
