/**
 * The synthetic load itself: set-based SQL (INSERT ... SELECT FROM generate_series), never a row at a
 * time. Every value is a function of the row number through `hashint8extended` (stable across
 * Postgres versions: hash partitioning relies on it), so the data is the same on every run.
 *
 * In one transaction: on failure nothing is left behind. During the load the session runs with
 * `session_replication_role = replica`, which skips triggers: the foreign-key checks (the data is
 * consistent by construction) and the counters of conversation_counts and conversation_label_counts,
 * which are rebuilt from the loaded rows, set-based, before the commit, so the end state is exact.
 */
import pg from 'pg';
import { accountName, adminToken, labelSets, planAccounts, signature, type AccountPlan, type SyntheticOptions } from './plan.js';

export interface SeededAccount {
  index: number;
  id: number;
  conversations: number;
}

export interface SeedResult {
  reused: boolean;
  accounts: SeededAccount[];
  seconds: number;
  rows: Record<string, number>;
}

const CHUNK = 100_000;

/** Integer-only SQL fragments: every value inlined below is a number computed here, never user text. */
const int = (value: number): string => {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
};

/** A deterministic non-negative bigint from `expr` and a salt (different per account and per use). */
const hash = (expr: string, salt: number) => `(hashint8extended((${expr})::bigint, ${int(salt)}) & 9223372036854775807)`;

interface Bases {
  account: number;
  user: number;
  inbox: number;
  team: number;
  contact: number;
  contactInbox: number;
  conversation: number;
}

const CONVERSATION_ATTRIBUTES = [
  `'{"browser": {"browser_name": "Chrome", "platform_name": "macOS", "browser_version": "124.0"}, "referer": "https://shop.example/pricing", "initiated_at": {"timestamp": "Mon Jan 01 2024"}}'`,
  `'{}'`,
  `'{"mail_subject": "Problem with my order", "source": "email"}'`,
];
const MESSAGE_TEXTS = [
  'Hi, I need help with my order',
  'Thanks for reaching out, we are looking into it',
  'Could you share a screenshot of the error?',
  'It works now, thank you!',
  'The invoice shows the wrong amount',
  'Your refund has been processed',
];

export async function seedSynthetic(url: string, options: SyntheticOptions, log: (line: string) => void): Promise<SeedResult> {
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const client = new pg.Client({ connectionString: url, application_name: 'conversations-seed-synthetic' });
  await client.connect();
  try {
    const existing = await client.query<{ id: number; name: string }>(
      `SELECT id, name FROM accounts WHERE name LIKE 'Synthetic 1/%[synthetic v%' ORDER BY id LIMIT 1`,
    );
    if (existing.rows[0]) {
      if (!existing.rows[0].name.endsWith(`[${signature(options)}]`)) {
        throw new Error(`this database already holds other synthetic data (${existing.rows[0].name}); seed a fresh database`);
      }
      const accounts = await client.query<{ id: number; name: string; last_display_id: number }>(
        `SELECT a.id, a.name, d.last_display_id FROM accounts a JOIN account_display_ids d ON d.account_id = a.id
          WHERE a.id >= $1 AND a.name LIKE 'Synthetic %' ORDER BY a.id LIMIT $2`,
        [existing.rows[0].id, options.accounts],
      );
      return {
        reused: true,
        accounts: accounts.rows.map((a, i) => ({ index: i + 1, id: a.id, conversations: a.last_display_id })),
        seconds: 0,
        rows: {},
      };
    }

    const plans = planAccounts(options);
    const total = plans.reduce((sum, p) => sum + p.conversations, 0);
    log(`seed:synthetic: ${signature(options)}: ${plans.length} account(s), ${total.toLocaleString('en-US')} conversations`);
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await client.query(`SET LOCAL work_mem = '64MB'`);
    await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    await client.query(`LOCK TABLE accounts, users, inboxes, teams, contacts, contact_inboxes, conversations IN SHARE ROW EXCLUSIVE MODE`);
    const [b] = (
      await client.query<Record<keyof Bases, string>>(`SELECT
        (SELECT COALESCE(max(id), 0) FROM accounts) AS account, (SELECT COALESCE(max(id), 0) FROM users) AS user,
        (SELECT COALESCE(max(id), 0) FROM inboxes) AS inbox, (SELECT COALESCE(max(id), 0) FROM teams) AS team,
        (SELECT COALESCE(max(id), 0) FROM contacts) AS contact, (SELECT COALESCE(max(id), 0) FROM contact_inboxes) AS "contactInbox",
        (SELECT COALESCE(max(id), 0) FROM conversations) AS conversation`)
    ).rows;
    const bases = Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Number(v)])) as unknown as Bases;

    await client.query(`CREATE TEMP TABLE syn_label_sets (idx int PRIMARY KEY, labels text[] NOT NULL) ON COMMIT DROP`);
    await client.query(
      `INSERT INTO syn_label_sets SELECT (o - 1)::int, ARRAY(SELECT jsonb_array_elements_text(e)) FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY t(e, o)`,
      [JSON.stringify(labelSets())],
    );

    const deferred = await dropIndexesWhileEmpty(client, ['conversations', 'messages']);
    if (deferred.length) log(`seed:synthetic: empty tables: ${deferred.length} indexes built after the load instead of row by row`);

    const rows: Record<string, number> = {};
    const count = (table: string, n: number | null) => (rows[table] = (rows[table] ?? 0) + (n ?? 0));
    const seeded: SeededAccount[] = [];
    for (const plan of plans) {
      const accountId = bases.account + plan.index;
      await loadAccount(client, plan, options, accountId, bases, count, (line) => log(`seed:synthetic: account ${plan.index}/${plans.length}: ${line}, ${elapsed()} s`));
      seeded.push({ index: plan.index, id: accountId, conversations: plan.conversations });
      bases.user += plan.agents + 1;
      bases.inbox += plan.inboxes;
      bases.team += plan.teams;
      bases.contact += plan.contacts;
      bases.contactInbox += plan.contacts;
      bases.conversation += plan.conversations;
    }

    for (const index of deferred) {
      await client.query(index.definition);
      log(`seed:synthetic: index ${index.name} built, ${elapsed()} s`);
    }

    const ids = seeded.map((a) => a.id);
    await client.query(`DELETE FROM conversation_counts WHERE account_id = ANY($1::int[])`, [ids]);
    const counters = await client.query(
      `INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, unattended, n)
       SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0),
              first_reply_created_at IS NULL OR waiting_since IS NOT NULL, count(*)
         FROM conversations WHERE account_id = ANY($1::int[]) GROUP BY 1, 2, 3, 4, 5, 6`,
      [ids],
    );
    count('conversation_counts', counters.rowCount);
    await client.query(`DELETE FROM conversation_label_counts WHERE account_id = ANY($1::int[])`, [ids]);
    const labelCounters = await client.query(
      `INSERT INTO conversation_label_counts (account_id, label, status, inbox_id, team_id, assignee_id, n)
       SELECT c.account_id, l.label, c.status, c.inbox_id, COALESCE(c.team_id, 0), COALESCE(c.assignee_id, 0), count(*)
         FROM conversations c CROSS JOIN LATERAL (SELECT DISTINCT unnest(c.labels) AS label) l
        WHERE c.account_id = ANY($1::int[]) GROUP BY 1, 2, 3, 4, 5, 6`,
      [ids],
    );
    count('conversation_label_counts', labelCounters.rowCount);
    log(`seed:synthetic: counters rebuilt (${counters.rowCount} rows, ${labelCounters.rowCount} per label), ${elapsed()} s`);
    for (const table of ['accounts', 'users', 'inboxes', 'teams', 'contacts', 'contact_inboxes', 'conversations']) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`);
    }
    await client.query('COMMIT');
    log(`seed:synthetic: committed, ${elapsed()} s; vacuum analyze`);
    for (const table of ['conversations', 'messages', 'contacts', 'contact_inboxes', 'conversation_counts', 'conversation_label_counts', 'inbox_members', 'users', 'access_tokens']) {
      await client.query(`VACUUM (ANALYZE) ${table}`);
    }
    const seconds = (performance.now() - started) / 1000;
    log(`seed:synthetic: done in ${seconds.toFixed(1)} s: ${Object.entries(rows).map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`).join(', ')}`);
    return { reused: false, accounts: seeded, seconds, rows };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Drops the secondary indexes of `tables` when they are all empty (a fresh benchmark database) and
 * returns their definitions: built once over the loaded rows, they cost a fraction of what row-by-row
 * maintenance does (the trigram index of messages above all). Primary keys and unique constraints stay.
 * Inside the load's transaction, so a failed load leaves them in place.
 */
async function dropIndexesWhileEmpty(client: pg.Client, tables: string[]): Promise<{ name: string; definition: string }[]> {
  for (const table of tables) {
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS used`);
    if (rows[0].used) return [];
  }
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)
        AND NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indexrelid = format('%I.%I', i.schemaname, i.indexname)::regclass AND x.indisunique)`,
    [tables],
  );
  for (const index of rows) await client.query(`DROP INDEX "public"."${index.name.replace(/"/g, '""')}"`);
  return rows;
}

async function loadAccount(
  client: pg.Client,
  plan: AccountPlan,
  options: SyntheticOptions,
  accountId: number,
  bases: Bases,
  count: (table: string, n: number | null) => void,
  progress: (line: string) => void,
): Promise<void> {
  const a = plan.index;
  const salt = (k: number) => a * 100 + k;
  const acc = int(accountId);
  const ub = int(bases.user);
  const ib = int(bases.inbox);
  const tb = int(bases.team);
  const cb = int(bases.contact);
  const cib = int(bases.contactInbox);
  const G = int(plan.agents);
  const I = int(plan.inboxes);
  const T = int(plan.teams);
  const C = int(plan.contacts);
  const S = plan.conversations;
  const run = async (table: string, sql: string, values: unknown[] = []) => count(table, (await client.query(sql, values)).rowCount);

  await run('accounts', `INSERT INTO accounts (id, name, created_at) VALUES (${acc}, $1, '2023-01-01T00:00:00Z')`, [accountName(plan, options)]);
  await run('account_display_ids', `INSERT INTO account_display_ids (account_id, last_display_id) VALUES (${acc}, ${int(S)})`);
  // User 0 is the administrator, 1..G the agents.
  await run('users', `INSERT INTO users (id, name, display_name, email, created_at)
    SELECT ${ub} + u + 1, CASE WHEN u = 0 THEN 'Admin ${a}' ELSE 'Agent ' || u END, CASE WHEN u % 3 = 1 THEN 'Agent #' || u END,
           'synthetic-a${a}-u' || u || '@synthetic.test', '2023-01-01T00:00:00Z'
      FROM generate_series(0, ${G}) u`);
  await run('account_users', `INSERT INTO account_users (account_id, user_id, role) SELECT ${acc}, ${ub} + u + 1, CASE WHEN u = 0 THEN 1 ELSE 0 END FROM generate_series(0, ${G}) u`);
  await run('access_tokens', `INSERT INTO access_tokens (token_digest, user_id)
    SELECT encode(sha256(convert_to(CASE WHEN u = 0 THEN $1 ELSE 'synthetic-a${a}-agent-' || u END, 'UTF8')), 'hex'), ${ub} + u + 1
      FROM generate_series(0, ${G}) u`, [adminToken(a)]);
  await run('inboxes', `INSERT INTO inboxes (id, account_id, name, channel_type)
    SELECT ${ib} + j, ${acc}, (ARRAY['API','Website','Email','WhatsApp'])[1 + (j - 1) % 4] || ' ' || j,
           (ARRAY['Channel::Api','Channel::WebWidget','Channel::Email','Channel::Whatsapp'])[1 + (j - 1) % 4]
      FROM generate_series(1, ${I}) j`);
  // Each agent is a member of three consecutive inboxes.
  await run('inbox_members', `INSERT INTO inbox_members (inbox_id, user_id)
    SELECT DISTINCT ${ib} + 1 + ((g - 1 + m) % ${I}), ${ub} + g + 1 FROM generate_series(1, ${G}) g, generate_series(0, 2) m`);
  await run('teams', `INSERT INTO teams (id, account_id, name, description, allow_auto_assign)
    SELECT ${tb} + t, ${acc}, 'Team ' || t, 'Synthetic team ' || t, t % 2 = 1 FROM generate_series(1, ${T}) t`);
  await run('team_members', `INSERT INTO team_members (team_id, user_id) SELECT ${tb} + 1 + ((g - 1) % ${T}), ${ub} + g + 1 FROM generate_series(1, ${G}) g`);

  // A contact's one inbox: 40 % in inbox 1 (the busy API inbox), the rest spread over the others.
  const inboxOf = (c: string) => `(CASE WHEN ${I} = 1 OR ${hash(c, salt(11))} % 100 < 40 THEN 1 ELSE 2 + ${hash(c, salt(12))} % GREATEST(${I} - 1, 1) END)`;
  await run('contacts', `INSERT INTO contacts (id, account_id, name, email, phone_number, identifier, additional_attributes, custom_attributes, blocked, created_at, last_activity_at)
    SELECT ${cb} + c, ${acc}, 'Contact ' || c, 'contact' || c || '@a${a}.synthetic.test',
           CASE WHEN ${hash('c', salt(13))} % 3 = 0 THEN NULL ELSE '+1555' || lpad(c::text, 7, '0') END,
           CASE WHEN ${hash('c', salt(14))} % 2 = 0 THEN 'crm-${a}-' || c END,
           jsonb_build_object('city', (ARRAY['Berlin','Lisbon','Austin','Osaka','Nairobi'])[1 + ${hash('c', salt(15))} % 5]),
           '{}'::jsonb, ${hash('c', salt(16))} % 500 = 0,
           timestamptz '2023-06-01T00:00:00Z' + make_interval(secs => c * 60),
           timestamptz '2024-06-01T00:00:00Z' + make_interval(secs => ${hash('c', salt(17))} % 31536000)
      FROM generate_series(1, ${C}) c`);
  await run('contact_inboxes', `INSERT INTO contact_inboxes (id, contact_id, inbox_id, source_id, hmac_verified, created_at)
    SELECT ${cib} + c, ${cb} + c, ${ib} + ${inboxOf('c')}, 'syn-${a}-' || c, ${hash('c', salt(18))} % 4 = 0,
           timestamptz '2023-06-01T00:00:00Z' + make_interval(secs => c * 60)
      FROM generate_series(1, ${C}) c`);
  progress(`${plan.contacts.toLocaleString('en-US')} contacts`);

  const span = 2 * 365 * 86400; // created_at spread over two years, in display id order
  for (let lo = 1; lo <= S; lo += CHUNK) {
    const hi = Math.min(S, lo + CHUNK - 1);
    await run('conversations', `WITH g AS (
        SELECT i, 1 + ${hash('i', salt(10))} % ${C} AS c, ${hash('i', salt(1))} % 100 AS hs, ${hash('i', salt(2))} AS ha,
               ${hash('i', salt(3))} AS ht, ${hash('i', salt(4))} AS hp, ${hash('i', salt(5))} % 100 AS hl, ${hash('i', salt(6))} AS hx,
               timestamptz '2024-01-01T00:00:00Z' + make_interval(secs => floor((i - 1) * ${span / S}) + ${hash('i', salt(7))} % 3600) AS created
          FROM generate_series(${int(lo)}, ${int(hi)}) i),
      g2 AS (
        SELECT g.*, CASE WHEN hs < 35 THEN 0 WHEN hs < 80 THEN 1 WHEN hs < 90 THEN 2 ELSE 3 END AS status,
               created + make_interval(secs => hx % 604800) AS last_activity
          FROM g)
      INSERT INTO conversations (id, account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id, status, priority, assignee_id, team_id,
                                 labels, additional_attributes, custom_attributes, snoozed_until, waiting_since, agent_last_seen_at,
                                 assignee_last_seen_at, contact_last_seen_at, first_reply_created_at, created_at, updated_at, last_activity_at)
      SELECT ${int(bases.conversation)} + i, ${acc}, i, md5('${a}:' || i)::uuid, ${ib} + ${inboxOf('c')}, ${cb} + c, ${cib} + c, status,
             CASE WHEN hp % 100 < 50 THEN NULL ELSE (hp / 100) % 4 END,
             CASE WHEN ha % 100 < 20 THEN NULL ELSE ${ub} + 2 + (ha / 100) % ${G} END,
             CASE WHEN ht % 100 < 30 THEN NULL ELSE ${tb} + 1 + (ht / 100) % ${T} END,
             ls.labels,
             (CASE hx % 3 WHEN 0 THEN ${CONVERSATION_ATTRIBUTES[0]} WHEN 1 THEN ${CONVERSATION_ATTRIBUTES[1]} ELSE ${CONVERSATION_ATTRIBUTES[2]} END)::jsonb,
             (CASE WHEN hx % 5 = 0 THEN '{"plan": "pro", "order_count": 3}' ELSE '{}' END)::jsonb,
             CASE WHEN status = 3 THEN last_activity + interval '3 days' END,
             CASE WHEN status IN (0, 2) AND hx % 2 = 0 THEN last_activity END,
             CASE WHEN hx % 4 <> 0 THEN last_activity - interval '5 minutes' END,
             CASE WHEN ha % 100 >= 20 AND hx % 3 = 0 THEN last_activity END,
             CASE WHEN hx % 2 = 1 THEN last_activity - interval '1 minute' END,
             CASE WHEN status = 1 OR hx % 3 = 0 THEN created + interval '10 minutes' END,
             created, last_activity, last_activity
        FROM g2 JOIN syn_label_sets ls ON ls.idx = g2.hl`);
    progress(`conversations ${hi.toLocaleString('en-US')}/${S.toLocaleString('en-US')} (${Math.round((hi / S) * 100)} %)`);
  }

  // 1 to 3 messages a conversation: an incoming one first, then replies; the last at last_activity_at.
  const texts = `ARRAY[${MESSAGE_TEXTS.map((t) => `'${t.replace(/'/g, "''")}'`).join(', ')}]`;
  for (let lo = 1; lo <= S; lo += CHUNK) {
    const hi = Math.min(S, lo + CHUNK - 1);
    await run('messages', `INSERT INTO messages (account_id, inbox_id, conversation_id, content, message_type, private, status, content_type, sender_type, sender_id, created_at)
      SELECT c.account_id, c.inbox_id, c.id, (${texts})[1 + ${hash('c.display_id * 4 + j', salt(22))} % ${MESSAGE_TEXTS.length}] || ' (#' || c.display_id || '.' || j || ')',
             t.mt, false, CASE WHEN t.mt = 1 THEN ${hash('c.display_id * 4 + j', salt(23))} % 4 ELSE 0 END, 'text',
             CASE t.mt WHEN 0 THEN 'Contact' WHEN 1 THEN 'User' END,
             CASE t.mt WHEN 0 THEN c.contact_id WHEN 1 THEN COALESCE(c.assignee_id, ${ub} + 1) END,
             c.created_at + (c.last_activity_at - c.created_at) * (j::float8 / mm.m)
        FROM conversations c
        CROSS JOIN LATERAL (SELECT 1 + ${hash('c.display_id', salt(20))} % 3 AS m) mm
        CROSS JOIN LATERAL generate_series(1, mm.m) j
        CROSS JOIN LATERAL (SELECT CASE WHEN j = 1 THEN 0 WHEN ${hash('c.display_id * 4 + j', salt(21))} % 10 = 0 THEN 2 WHEN j % 2 = 0 THEN 1 ELSE 0 END AS mt) t
       WHERE c.id BETWEEN ${int(bases.conversation + lo)} AND ${int(bases.conversation + hi)}`);
    progress(`messages of conversations ${hi.toLocaleString('en-US')}/${S.toLocaleString('en-US')} (${Math.round((hi / S) * 100)} %)`);
  }
}
