import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';

describe('smoke', () => {
  it('lists account 1', async () => {
    const { baseUrl } = e2eEnvironment();
    const res = await fetch(`${baseUrl}/api/v1/accounts/1/conversations?status=all`, { headers: { api_access_token: TOKENS.admin } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { meta: { all_count: number } } };
    expect(body.data.meta.all_count).toBe(40);
  });
});
