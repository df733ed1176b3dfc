/**
 * What the creates need from the seeded fixture (test/fixtures/e2e-fixture.json), read rather than
 * copied so that a regenerated fixture keeps working: account 5 (Hooli, meant for event writes), its
 * administrator's and its agent bot's tokens, its inbox and its contacts with their source ids.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './util.mjs';

export const FIXTURE_FILE = path.join(ROOT, 'test', 'fixtures', 'e2e-fixture.json');
const ACCOUNT_ID = 5;

export function loadFixture() {
  const fixture = JSON.parse(readFileSync(FIXTURE_FILE, 'utf8'));
  const admin = fixture.users.find((u) => u.accounts.some((a) => a.account_id === ACCOUNT_ID && a.role === 'administrator'));
  const bot = fixture.agent_bots.find((b) => b.account_id === ACCOUNT_ID);
  const inboxIds = new Set(fixture.inboxes.filter((i) => i.account_id === ACCOUNT_ID).map((i) => i.id));
  const contacts = fixture.contacts
    .filter((c) => c.account_id === ACCOUNT_ID)
    .map((c) => ({ id: c.id, inboxes: (c.contact_inboxes ?? []).filter((ci) => inboxIds.has(ci.inbox_id)) }))
    .filter((c) => c.inboxes.length > 0);
  if (!admin || !bot || contacts.length === 0) throw new Error(`${FIXTURE_FILE}: account ${ACCOUNT_ID} needs an administrator, an agent bot and contacts in an inbox`);
  return { accountId: ACCOUNT_ID, adminToken: admin.access_token, botToken: bot.access_token, contacts };
}
