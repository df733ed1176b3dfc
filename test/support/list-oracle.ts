/**
 * What GET /api/v1/accounts/{id}/conversations should answer (SPEC 4.1), computed from
 * test/fixtures/e2e-fixture.json alone: a plain, slow, obviously-correct rendering of the rules,
 * used by the combinatorial sweeps. Small cases are checked against hand-written ids instead.
 */
import { readFileSync } from 'node:fs';
import { ASSIGNEE_TYPES, PER_PAGE, SORT_ORDERS, STATUS_FILTERS } from '#app/contracts';

interface FixtureConversation {
  display_id?: number;
  account_id: number;
  inbox_id: number;
  status: string;
  assignee_id: number | null;
  team_id: number | null;
  priority?: string | null;
  labels?: string[];
  created_at: string;
  last_activity_at?: string;
  waiting_since?: string;
  first_reply_created_at?: string;
  contact_id: number;
  source_id?: string;
  messages?: { content: string; message_type?: string; private?: boolean }[];
}

interface Fixture {
  users: { id: number; access_token: string; accounts: { account_id: number; role: string }[] }[];
  inboxes: { id: number; account_id: number; member_ids: number[] }[];
  contacts: { id: number; contact_inboxes?: { inbox_id: number; source_id: string }[] }[];
  conversations: FixtureConversation[];
}

export const FIXTURE: Fixture = JSON.parse(readFileSync(new URL('../fixtures/e2e-fixture.json', import.meta.url), 'utf8'));

// The enumerations are the contract's own; the rules below are computed independently of the product.
export { PER_PAGE };
export const STATUSES = STATUS_FILTERS;
export { ASSIGNEE_TYPES };
export const SORTS = SORT_ORDERS;

export interface ListFilters {
  status?: (typeof STATUSES)[number];
  assignee_type?: (typeof ASSIGNEE_TYPES)[number];
  inbox_id?: number;
  team_id?: number;
  labels?: string[];
  sort_by?: (typeof SORTS)[number];
  q?: string;
  conversation_type?: 'unattended';
  source_id?: string;
}

export interface Counts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}

export interface ExpectedList {
  /** Display ids of the whole assignee-filtered list, in order (all pages). */
  ids: number[];
  counts: Counts;
  total_pages: number;
}

interface Row {
  id: number;
  c: FixtureConversation;
}

/** Display ids as the seed gives them: missing ones above every display id of the account, in file order. */
function rowsOf(accountId: number): Row[] {
  const own = FIXTURE.conversations.filter((c) => c.account_id === accountId);
  let next = Math.max(0, ...own.map((c) => c.display_id ?? 0));
  return own.map((c) => ({ id: c.display_id ?? ++next, c }));
}

function userByToken(token: string) {
  const user = FIXTURE.users.find((u) => u.access_token === token);
  if (!user) throw new Error(`no fixture user has token ${token}`);
  return user;
}

/** The source_id of a conversation's contact_inbox: its own, else its contact's in its inbox. */
function sourceIdOf(c: FixtureConversation): string | undefined {
  return c.source_id ?? FIXTURE.contacts.find((ct) => ct.id === c.contact_id)?.contact_inboxes?.find((ci) => ci.inbox_id === c.inbox_id)?.source_id;
}

/** Whether what the contact or an agent said (not private notes, not activity) contains `q`, ignoring case. */
function mentions(c: FixtureConversation, q: string): boolean {
  return (c.messages ?? []).some(
    (m) => ['incoming', 'outgoing'].includes(m.message_type ?? 'incoming') && !m.private && m.content.toLowerCase().includes(q.toLowerCase()),
  );
}

const PRIORITY_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, urgent: 4 };
const time = (iso: string | undefined) => (iso === undefined ? null : Date.parse(iso));

function sortKey(c: FixtureConversation, sortBy: string): number | null {
  if (sortBy.startsWith('last_activity_at')) return time(c.last_activity_at ?? c.created_at);
  if (sortBy.startsWith('created_at')) return time(c.created_at);
  if (sortBy.startsWith('priority')) return c.priority ? PRIORITY_RANK[c.priority] : null;
  return time(c.waiting_since);
}

/** X_desc: X descending then display id descending; X_asc: both ascending; null keys last either way. */
function compare(sortBy: string) {
  const direction = sortBy.endsWith('_desc') ? -1 : 1;
  return (a: Row, b: Row): number => {
    const ka = sortKey(a.c, sortBy);
    const kb = sortKey(b.c, sortBy);
    if (ka === null && kb !== null) return 1;
    if (kb === null && ka !== null) return -1;
    if (ka !== null && kb !== null && ka !== kb) return direction * (ka - kb);
    return direction * (a.id - b.id);
  };
}

/** The expected list for the caller holding `token` (a fixture user) on `accountId`. */
export function expectedList(token: string, accountId: number, filters: ListFilters = {}): ExpectedList {
  const user = userByToken(token);
  const role = user.accounts.find((a) => a.account_id === accountId)?.role;
  if (!role) throw new Error(`user ${user.id} is not a member of account ${accountId}`);
  const visibleInboxes = new Set(
    FIXTURE.inboxes.filter((i) => i.account_id === accountId && (role === 'administrator' || i.member_ids.includes(user.id))).map((i) => i.id),
  );
  const status = filters.status ?? (filters.q === undefined ? 'open' : 'all');
  const labels = filters.labels;
  const { q, source_id: sourceId } = filters;
  const filtered = rowsOf(accountId).filter(
    ({ c }) =>
      visibleInboxes.has(c.inbox_id) &&
      (status === 'all' || c.status === status) &&
      (filters.inbox_id === undefined || c.inbox_id === filters.inbox_id) &&
      (filters.team_id === undefined || c.team_id === filters.team_id) &&
      (labels === undefined || (c.labels ?? []).some((label) => labels.includes(label))) &&
      (filters.conversation_type === undefined || c.first_reply_created_at === undefined || c.waiting_since !== undefined) &&
      (sourceId === undefined || sourceIdOf(c) === sourceId) &&
      (q === undefined || mentions(c, q)),
  );
  const counts: Counts = {
    mine_count: filtered.filter(({ c }) => c.assignee_id === user.id).length,
    assigned_count: filtered.filter(({ c }) => c.assignee_id !== null).length,
    unassigned_count: filtered.filter(({ c }) => c.assignee_id === null).length,
    all_count: filtered.length,
  };
  const assigneeType = filters.assignee_type ?? 'all';
  const listed = filtered
    .filter(({ c }) => {
      if (assigneeType === 'me') return c.assignee_id === user.id;
      if (assigneeType === 'unassigned') return c.assignee_id === null;
      if (assigneeType === 'assigned') return c.assignee_id !== null;
      return true;
    })
    .sort(compare(filters.sort_by ?? 'last_activity_at_desc'));
  return { ids: listed.map((r) => r.id), counts, total_pages: Math.ceil(listed.length / PER_PAGE) };
}

/** The ids of page `page` (1-based) of an expected list. */
export const pageOf = (ids: number[], page: number) => ids.slice((page - 1) * PER_PAGE, page * PER_PAGE);
