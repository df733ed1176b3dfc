/**
 * Account isolation, as a matrix: every kind of caller (administrator, agent with and without the
 * inbox, agent bot of the account, user and bot of another account, unknown token) × every account
 * (1-5 and one that does not exist) × the three endpoints × references to resources of other accounts
 * (inbox_id, contact_id, team_id, source_id, assignee_id). The callers, the accounts and what belongs
 * to which come from the e2e fixture itself; the expected answer of each cell comes from the rules of
 * SPEC 4 written down once below, as a table-driven model.
 *
 * Every cell asserts the exact status and body. Reads assert that nothing of another account is
 * returned (and that the counts are the database's own counts for the caller); creates assert, by
 * counting rows per account in the database before and after, that nothing was written anywhere,
 * or, for the creates that must succeed (account 4 only), that one conversation was written in
 * account 4 and nothing anywhere else. Creates that would succeed in accounts 1-3 and 5 are not sent
 * (those accounts must stay as other tests expect them): the `assignee_id of another account` cells
 * prove the same permission there, since that rule is checked after every permission (422, nothing written).
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { conversationsPath, request, type HttpResult } from '../support/http-client.js';

// ---------------------------------------------------------------------------------------------
// the fixture: who is who, what belongs to which account

interface Fixture {
  accounts: { id: number }[];
  users: { id: number; access_token: string; name: string; accounts: { account_id: number; role: 'administrator' | 'agent' }[] }[];
  agent_bots: { id: number; account_id: number; access_token: string; name: string }[];
  inboxes: { id: number; account_id: number; member_ids: number[] }[];
  teams: { id: number; account_id: number }[];
  contacts: { id: number; account_id: number; contact_inboxes: { inbox_id: number; source_id: string }[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/e2e-fixture.json', import.meta.url), 'utf8')) as Fixture;

/** The only account a create may succeed in (accounts 1-3 are read by other tests, 5 by the event tests). */
const WRITABLE_ACCOUNT = 4;
const MISSING_ACCOUNT = 987_654;
const NOWHERE = 999_999; // an id no inbox, contact or team has

interface Source {
  sourceId: string;
  contactId: number;
  inboxId: number;
}
interface Account {
  id: number;
  exists: boolean;
  inboxes: number[];
  contacts: number[];
  teams: number[];
  members: number[];
  sources: Source[];
}

const accountIds = [...fixture.accounts.map((a) => a.id), MISSING_ACCOUNT];
const ACCOUNTS = new Map<number, Account>(
  accountIds.map((id) => [
    id,
    {
      id,
      exists: id !== MISSING_ACCOUNT,
      inboxes: fixture.inboxes.filter((i) => i.account_id === id).map((i) => i.id),
      contacts: fixture.contacts.filter((c) => c.account_id === id).map((c) => c.id),
      teams: fixture.teams.filter((t) => t.account_id === id).map((t) => t.id),
      members: fixture.users.filter((u) => u.accounts.some((a) => a.account_id === id)).map((u) => u.id),
      sources: fixture.contacts
        .filter((c) => c.account_id === id)
        .flatMap((c) => c.contact_inboxes.map((ci) => ({ sourceId: ci.source_id, contactId: c.id, inboxId: ci.inbox_id }))),
    },
  ]),
);
const account = (id: number) => ACCOUNTS.get(id)!;

type Actor =
  | { name: string; token: string; kind: 'user'; userId: number; roles: Map<number, 'administrator' | 'agent'>; inboxes: number[] }
  | { name: string; token: string; kind: 'bot'; accountId: number }
  | { name: string; token: string; kind: 'unknown' };

const ACTORS: Actor[] = [
  ...fixture.users.map(
    (u): Actor => ({
      name: `${u.name} (${u.accounts.map((a) => `${a.role} of ${a.account_id}`).join(', ')}${u.accounts.some((a) => a.role === 'agent') ? `, inboxes [${fixture.inboxes.filter((i) => i.member_ids.includes(u.id)).map((i) => i.id)}]` : ''})`,
      token: u.access_token,
      kind: 'user',
      userId: u.id,
      roles: new Map(u.accounts.map((a) => [a.account_id, a.role])),
      inboxes: fixture.inboxes.filter((i) => i.member_ids.includes(u.id)).map((i) => i.id),
    }),
  ),
  ...fixture.agent_bots.map((b): Actor => ({ name: `${b.name} (agent bot of ${b.account_id})`, token: b.access_token, kind: 'bot', accountId: b.account_id })),
  { name: 'an unknown token', token: 'e2e-token-that-nobody-has', kind: 'unknown' },
];

// ---------------------------------------------------------------------------------------------
// the rules (SPEC 4.1, 4.2, 4.4): what each cell must answer

const TEXT = {
  badToken: { error: 'Invalid Access Token' },
  notFound: { error: 'Resource could not be found' },
  notMember: { error: 'You are not a member of this account.' },
  botElsewhere: { error: 'This agent bot does not belong to the account.' },
  botList: { error: 'Agent bots may not list conversations.' },
  notInInbox: { error: 'You are not a member of this inbox.' },
  assignee: { message: 'Assignee is not a member of this account', attributes: ['assignee_id'] },
};

type Expected = { status: 200 } | { status: number; body: unknown };
type Caller = { kind: 'admin' } | { kind: 'agent'; inboxes: number[] } | { kind: 'bot' };

/** 401 for an unknown token, then 404 for an account that does not exist, then 403 for a stranger. */
function callerIn(actor: Actor, target: Account): Caller | Expected {
  if (actor.kind === 'unknown') return { status: 401, body: TEXT.badToken };
  if (!target.exists) return { status: 404, body: TEXT.notFound };
  if (actor.kind === 'bot') return actor.accountId === target.id ? { kind: 'bot' } : { status: 403, body: TEXT.botElsewhere };
  const role = actor.roles.get(target.id);
  if (role === undefined) return { status: 403, body: TEXT.notMember };
  return role === 'administrator' ? { kind: 'admin' } : { kind: 'agent', inboxes: actor.inboxes };
}
const isExpected = (value: Caller | Expected): value is Expected => 'status' in value;

interface ReadRef {
  label: string;
  query: Record<string, string | number>;
  /** How the filter narrows what the caller sees: 'all' (no filter, or one that is ignored), 'nothing'. */
  effect: 'all' | 'nothing' | 'team-404';
}

function expectedRead(actor: Actor, target: Account, ref: ReadRef): Expected {
  const caller = callerIn(actor, target);
  if (isExpected(caller)) return caller;
  if (caller.kind === 'bot') return { status: 403, body: TEXT.botList };
  if (ref.effect === 'team-404') return { status: 404, body: TEXT.notFound };
  return { status: 200 };
}

interface CreateRef {
  label: string;
  body: { inbox_id?: number; contact_id?: number; source_id?: string; team_id?: number; assignee_id?: number };
}

function expectedCreate(actor: Actor, target: Account, ref: CreateRef): Expected {
  const caller = callerIn(actor, target);
  if (isExpected(caller)) return caller;
  const { body } = ref;
  let inbox: number;
  if (body.inbox_id !== undefined && body.contact_id !== undefined) {
    if (!target.inboxes.includes(body.inbox_id) || !target.contacts.includes(body.contact_id)) return { status: 404, body: TEXT.notFound };
    inbox = body.inbox_id;
  } else {
    if (body.contact_id !== undefined && !target.contacts.includes(body.contact_id)) return { status: 404, body: TEXT.notFound };
    const source = target.sources.find((s) => s.sourceId === body.source_id && (body.inbox_id === undefined || s.inboxId === body.inbox_id));
    if (!source) return { status: 404, body: TEXT.notFound };
    inbox = source.inboxId;
  }
  if (body.team_id !== undefined && !target.teams.includes(body.team_id)) return { status: 404, body: TEXT.notFound };
  if (caller.kind === 'agent' && !caller.inboxes.includes(inbox)) return { status: 403, body: TEXT.notInInbox };
  if (body.assignee_id !== undefined && !target.members.includes(body.assignee_id)) return { status: 422, body: TEXT.assignee };
  return { status: 200 };
}

// ---------------------------------------------------------------------------------------------
// the references: the account's own, and those of every other account that has one

/** The account's first inbox with a contact in it, that contact, and its source_id there (ids that exist nowhere for an empty account). */
function own(target: Account): { inbox: number; contact: number; source: string; otherInbox?: number } {
  const first = target.sources.find((s) => s.inboxId === target.inboxes[0]);
  if (!first) return { inbox: NOWHERE, contact: NOWHERE, source: 'no-such-source' };
  const otherInbox = target.sources.find((s) => s.contactId === first.contactId && s.inboxId !== first.inboxId)?.inboxId;
  return { inbox: first.inboxId, contact: first.contactId, source: first.sourceId, otherInbox };
}

const others = (target: Account) => [...ACCOUNTS.values()].filter((a) => a.id !== target.id && a.exists);

function readRefs(target: Account): ReadRef[] {
  const refs: ReadRef[] = [{ label: 'no reference', query: {}, effect: 'all' }];
  for (const other of others(target)) {
    const theirs = own(other);
    if (other.inboxes.length) refs.push({ label: `inbox_id ${theirs.inbox} of account ${other.id}`, query: { inbox_id: theirs.inbox }, effect: 'nothing' });
    if (other.teams.length) refs.push({ label: `team_id ${other.teams[0]} of account ${other.id}`, query: { team_id: other.teams[0] }, effect: 'team-404' });
    // Not a list parameter: ignored, so the answer is the unfiltered one.
    if (other.contacts.length) refs.push({ label: `contact_id ${theirs.contact} of account ${other.id} (ignored)`, query: { contact_id: theirs.contact }, effect: 'all' });
    // A filter within the account: another account's source_id matches nothing here.
    if (other.sources.length) refs.push({ label: `source_id ${theirs.source} of account ${other.id}`, query: { source_id: theirs.source }, effect: 'nothing' });
  }
  return refs;
}

function createRefs(target: Account): CreateRef[] {
  const mine = own(target);
  const refs: CreateRef[] = [{ label: 'its own inbox and contact', body: { inbox_id: mine.inbox, contact_id: mine.contact } }];
  if (mine.otherInbox !== undefined) {
    refs.push({ label: `its own inbox ${mine.otherInbox} and contact`, body: { inbox_id: mine.otherInbox, contact_id: mine.contact } });
  }
  const stranger = fixture.users.find((u) => !target.members.includes(u.id))!;
  refs.push({ label: `assignee_id ${stranger.id} of another account`, body: { inbox_id: mine.inbox, contact_id: mine.contact, assignee_id: stranger.id } });
  for (const other of others(target)) {
    if (!other.inboxes.length) continue;
    const theirs = own(other);
    const from = `of account ${other.id}`;
    refs.push(
      { label: `inbox_id ${theirs.inbox} ${from}`, body: { inbox_id: theirs.inbox, contact_id: mine.contact } },
      { label: `contact_id ${theirs.contact} ${from}`, body: { inbox_id: mine.inbox, contact_id: theirs.contact } },
      { label: `inbox_id and contact_id ${from}`, body: { inbox_id: theirs.inbox, contact_id: theirs.contact } },
      { label: `source_id ${theirs.source} ${from}`, body: { source_id: theirs.source } },
      { label: `source_id ${theirs.source} ${from} in its own inbox`, body: { source_id: theirs.source, inbox_id: mine.inbox } },
      { label: `its own source_id with contact_id ${theirs.contact} ${from}`, body: { source_id: mine.source, contact_id: theirs.contact } },
    );
    if (other.teams.length) refs.push({ label: `team_id ${other.teams[0]} ${from}`, body: { inbox_id: mine.inbox, contact_id: mine.contact, team_id: other.teams[0] } });
  }
  return refs;
}

// ---------------------------------------------------------------------------------------------
// the cells

interface ReadCell {
  actor: Actor;
  target: Account;
  endpoint: 'list' | 'meta';
  ref: ReadRef;
  expected: Expected;
}
interface CreateCell {
  actor: Actor;
  target: Account;
  ref: CreateRef;
  expected: Expected;
}

const readCells: ReadCell[] = [];
const createCells: CreateCell[] = [];
let createSkipped = 0;
for (const actor of ACTORS) {
  for (const target of ACCOUNTS.values()) {
    for (const endpoint of ['list', 'meta'] as const) {
      for (const ref of readRefs(target)) readCells.push({ actor, target, endpoint, ref, expected: expectedRead(actor, target, ref) });
    }
    for (const ref of createRefs(target)) {
      const expected = expectedCreate(actor, target, ref);
      if (expected.status === 200 && target.id !== WRITABLE_ACCOUNT) createSkipped++;
      else createCells.push({ actor, target, ref, expected });
    }
  }
}
const MATRIX = `${ACTORS.length} callers × ${ACCOUNTS.size} accounts × 3 endpoints × references: ${readCells.length} read cells + ${createCells.length} create cells = ${readCells.length + createCells.length}`;

// ---------------------------------------------------------------------------------------------
// the database: what each account holds, and what a create changed

let db: pg.Pool;
let initial: Record<string, number>;

/** Rows per account in every table a create writes to, and each account's display id counter. */
async function fingerprint(): Promise<Record<string, number>> {
  const { rows } = await db.query<{ k: string; n: number }>(`
    select 'conversations:' || account_id as k, count(*)::int as n from conversations group by account_id
    union all select 'messages:' || account_id, count(*)::int from messages group by account_id
    union all select 'contact_inboxes:' || i.account_id, count(*)::int from contact_inboxes ci join inboxes i on i.id = ci.inbox_id group by i.account_id
    union all select 'idempotency_keys:' || account_id, count(*)::int from idempotency_keys group by account_id
    union all select 'outbox_events:' || account_id, count(*)::int from outbox_events group by account_id
    union all select 'last_display_id:' || account_id, last_display_id from account_display_ids
    union all select 'contacts:' || account_id, count(*)::int from contacts group by account_id`);
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

/** The keys of `after` that differ from `before`. */
const changed = (before: Record<string, number>, after: Record<string, number>) =>
  Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]).sort();

/** What a caller may see in an account: the database's own counts (status=all) and the ids of what the account holds. */
interface Visible {
  all: number;
  unassigned: number;
  mine: number;
}
async function visible(target: Account, inboxes: number[] | null, userId: number): Promise<Visible> {
  const { rows } = await db.query<Visible>(
    `select count(*)::int as all, count(*) filter (where assignee_id is null)::int as unassigned, count(*) filter (where assignee_id = $3)::int as mine
       from conversations where account_id = $1 and ($2::int[] is null or inbox_id = any($2::int[]))`,
    [target.id, inboxes, userId],
  );
  return rows[0];
}

// ---------------------------------------------------------------------------------------------
// assertions

const path = (target: Account, endpoint: 'list' | 'meta' | 'create') => `${conversationsPath(target.id)}${endpoint === 'meta' ? '/meta' : ''}`;
const query = (params: Record<string, string | number>) =>
  Object.entries({ status: 'all', ...params })
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

function expectAnswer(res: HttpResult, expected: Expected): void {
  if (expected.status === 200) expect({ status: res.status, body: res.status === 200 ? 'a 200 body' : res.json }).toEqual({ status: 200, body: 'a 200 body' });
  else expect({ status: res.status, body: res.json ?? res.text }).toEqual(expected);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
}

/** Every conversation of a list belongs to the account, and to the caller's inboxes for an agent. */
function expectOnlyTheAccount(payload: any[], target: Account, caller: Caller): void {
  for (const conversation of payload) {
    const where = {
      account_id: conversation.account_id,
      inbox_ok: target.inboxes.includes(conversation.inbox_id) && (caller.kind !== 'agent' || caller.inboxes.includes(conversation.inbox_id)),
      sender_ok: target.contacts.includes(conversation.meta.sender.id),
      team_account: conversation.meta.team?.account_id ?? target.id,
      assignee_account: conversation.meta.assignee?.account_id ?? target.id,
      message_accounts: [...new Set((conversation.messages as { account_id: number }[]).map((m) => m.account_id))].filter((a) => a !== target.id),
    };
    expect(where).toEqual({ account_id: target.id, inbox_ok: true, sender_ok: true, team_account: target.id, assignee_account: target.id, message_accounts: [] });
  }
}

async function checkRead(cell: ReadCell): Promise<void> {
  const { actor, target, endpoint, ref, expected } = cell;
  const res = await request('GET', path(target, endpoint), { token: actor.token, query: query(ref.query) });
  expectAnswer(res, expected);
  if (expected.status !== 200) return;
  const caller = callerIn(actor, target) as Caller;
  const userId = actor.kind === 'user' ? actor.userId : 0;
  const seen = ref.effect === 'nothing' ? { all: 0, unassigned: 0, mine: 0 } : await visible(target, caller.kind === 'agent' ? caller.inboxes : null, userId);
  const counts = { all_count: seen.all, unassigned_count: seen.unassigned, assigned_count: seen.all - seen.unassigned, mine_count: seen.mine };
  if (endpoint === 'meta') {
    expect(res.json).toEqual({ meta: counts });
    return;
  }
  expect(res.json).toEqual({
    data: { meta: { ...counts, current_page: 1, per_page: 25, total_pages: Math.ceil(seen.all / 25) }, payload: expect.any(Array) },
  });
  expect(res.json.data.payload).toHaveLength(Math.min(25, seen.all));
  expectOnlyTheAccount(res.json.data.payload, target, caller);
}

// ---------------------------------------------------------------------------------------------

const label = (cell: { actor: Actor; target: Account; ref: { label: string }; expected: Expected }) =>
  `${cell.actor.name}, account ${cell.target.id}, ${cell.ref.label} → ${cell.expected.status}`;

/** Runs cells (all at once, or one after another) and answers the failures, each named by its cell. */
async function failures<C extends { actor: Actor; target: Account; ref: { label: string }; expected: Expected }>(
  cells: C[],
  check: (cell: C) => Promise<void>,
  inParallel: boolean,
): Promise<string[]> {
  const run = async (cell: C) => {
    try {
      await check(cell);
      return null;
    } catch (error) {
      return `${label(cell)}:\n${(error as Error).message}`;
    }
  };
  if (inParallel) return (await Promise.all(cells.map(run))).filter((f): f is string => f !== null);
  const out: string[] = [];
  for (const cell of cells) {
    const failure = await run(cell);
    if (failure !== null) out.push(failure);
  }
  return out;
}

/** A refused create: the exact answer (that nothing was written is checked around the whole group). */
async function checkRefusedCreate(cell: CreateCell): Promise<void> {
  const { actor, target, ref, expected } = cell;
  const res = await request('POST', path(target, 'create'), { token: actor.token, body: { ...ref.body, custom_attributes: { matrix: 'refused' } } });
  expectAnswer(res, expected);
}

/** Any create, alone: the exact answer, and the rows of every account before and after it. */
async function checkCreate(cell: CreateCell): Promise<void> {
  const { actor, target, ref, expected } = cell;
  const before = await fingerprint();
  const marker = `matrix-${ACTORS.indexOf(actor)}-${target.id}-${ref.label}`;
  const res = await request('POST', path(target, 'create'), { token: actor.token, body: { ...ref.body, custom_attributes: { matrix: marker } } });
  expectAnswer(res, expected);
  const after = await fingerprint();
  if (expected.status !== 200) {
    expect(changed(before, after)).toEqual([]);
    return;
  }
  // The one success: in account 4 only, with what it referred to, and nothing anywhere else.
  expect(target.id).toBe(WRITABLE_ACCOUNT);
  expect(res.json).toMatchObject({ account_id: WRITABLE_ACCOUNT, inbox_id: ref.body.inbox_id, meta: { sender: { id: ref.body.contact_id } }, custom_attributes: { matrix: marker } });
  expect(changed(before, after).filter((k) => !k.endsWith(`:${WRITABLE_ACCOUNT}`))).toEqual([]);
  expect(after[`conversations:${WRITABLE_ACCOUNT}`]).toBe((before[`conversations:${WRITABLE_ACCOUNT}`] ?? 0) + 1);
  const { rows } = await db.query('select account_id, inbox_id, contact_id from conversations where custom_attributes->>$1 = $2', ['matrix', marker]);
  expect(rows).toEqual([{ account_id: WRITABLE_ACCOUNT, inbox_id: ref.body.inbox_id, contact_id: ref.body.contact_id }]);
}

/** The cells of one caller on one account, for one endpoint. */
const groups = ACTORS.flatMap((actor) => [...ACCOUNTS.values()].map((target) => [actor.name, target.id, actor, target] as const));
const ofGroup = <C extends { actor: Actor; target: Account }>(cells: C[], actor: Actor, target: Account) =>
  cells.filter((c) => c.actor === actor && c.target === target);
/** `1200×200 300×401 ...`: how many cells expect each status. */
function statuses(cells: { expected: Expected }[]): string {
  const counts = new Map<number, number>();
  for (const cell of cells) counts.set(cell.expected.status, (counts.get(cell.expected.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${n}×${status}`)
    .join(' ');
}

describe(`authorization matrix (${MATRIX})`, () => {
  beforeAll(async () => {
    console.log(
      `authorization matrix: ${MATRIX}\n  reads: ${statuses(readCells)}\n  creates: ${statuses(createCells)}` +
        `\n  (${createSkipped} creates that would succeed outside account ${WRITABLE_ACCOUNT} not sent: the assignee_id cells prove those permissions)`,
    );
    db = new pg.Pool({ connectionString: e2eEnvironment().databaseUrl, max: 4 });
    initial = await fingerprint();
  });
  afterAll(() => db?.end());

  it('covers every kind of caller and every account', () => {
    const kinds = new Set(ACTORS.map((a) => (a.kind === 'user' ? [...a.roles.values()].join() : a.kind)));
    expect([...kinds].sort()).toEqual(['administrator', 'administrator,administrator', 'agent', 'bot', 'unknown'].sort());
    // an agent with the inbox and one without, in the account creates may succeed in
    const agentsOf4 = ACTORS.filter((a) => a.kind === 'user' && a.roles.get(WRITABLE_ACCOUNT) === 'agent');
    expect(agentsOf4.length).toBeGreaterThan(0);
    expect(own(account(WRITABLE_ACCOUNT)).otherInbox).toBeDefined();
    expect(createCells.filter((c) => c.expected.status === 200).length).toBeGreaterThanOrEqual(3);
    for (const status of [200, 401, 403, 404]) expect(readCells.some((c) => c.expected.status === status)).toBe(true);
    for (const status of [200, 401, 403, 404, 422]) expect(createCells.some((c) => c.expected.status === status)).toBe(true);
  });

  describe.each(['list', 'meta'] as const)('GET %s', (endpoint) => {
    it.each(groups)('%s on account %s', async (_name, _id, actor, target) => {
      const cells = ofGroup(readCells, actor, target).filter((c) => c.endpoint === endpoint);
      expect(cells.length).toBeGreaterThan(0);
      expect(await failures(cells, checkRead, true)).toEqual([]);
    });
  });

  it('the reads changed nothing in the database', async () => {
    expect(changed(initial, await fingerprint())).toEqual([]);
  });

  describe('POST (create)', () => {
    // A group where every create must be refused is sent all at once, between two counts of every
    // account's rows; a group with a create that must succeed is sent one create at a time.
    it.each(groups)('%s on account %s', async (_name, _id, actor, target) => {
      const cells = ofGroup(createCells, actor, target);
      expect(cells.length).toBeGreaterThan(0);
      if (cells.some((c) => c.expected.status === 200)) {
        expect(await failures(cells, checkCreate, false)).toEqual([]);
        return;
      }
      const before = await fingerprint();
      expect(await failures(cells, checkRefusedCreate, true)).toEqual([]);
      expect(changed(before, await fingerprint())).toEqual([]);
    });
  });

  it('wrote to no account but 4', async () => {
    expect(changed(initial, await fingerprint()).filter((k) => !k.endsWith(`:${WRITABLE_ACCOUNT}`))).toEqual([]);
  });
});
