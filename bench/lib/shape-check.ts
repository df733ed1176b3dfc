/**
 * Is a shape's answer right? So that a broken shape cannot look fast: its counts against a COUNT the
 * bench writes itself (plain SQL, independent of the service's query builder), its page size and
 * total_pages against those counts, and every conversation on the page against the filters and the
 * order that the JSON shows.
 */
import type pg from 'pg';
import { PER_PAGE } from '#app/contracts';
import type { ShapeCheck } from './results.js';
import { sortOf, statusOf, type Shape } from './shapes.js';

const STATUS_CODES: Record<string, number> = { open: 0, resolved: 1, pending: 2, snoozed: 3 };
const PRIORITY_RANKS: Record<string, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

export interface OracleCounts {
  all: number;
  unassigned: number;
  mine: number;
}

/** The counts of a shape, by the bench's own SQL. `q` by strpos(lower()), not ILIKE: another spelling of the same rule. */
export async function oracleCounts(pool: pg.Pool, shape: Shape, accountId: number, userId: number, agentUserId: number | null): Promise<OracleCounts> {
  const q = shape.query;
  const values: unknown[] = [accountId, userId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = ['c.account_id = $1'];
  const status = statusOf(q);
  if (status !== 'all') where.push(`c.status = ${param(STATUS_CODES[status])}`);
  if (q.inbox_id !== undefined) where.push(`c.inbox_id = ${param(q.inbox_id)}`);
  if (q.team_id !== undefined) where.push(`c.team_id = ${param(q.team_id)}`);
  if (q.labels?.length) where.push(`c.labels && ${param(q.labels)}::text[]`);
  if (q.conversation_type === 'unattended') where.push('(c.first_reply_created_at IS NULL OR c.waiting_since IS NOT NULL)');
  if (q.source_id !== undefined) where.push(`EXISTS (SELECT 1 FROM contact_inboxes ci WHERE ci.id = c.contact_inbox_id AND ci.source_id = ${param(q.source_id)})`);
  if (q.updated_within !== undefined) where.push(`c.updated_at >= now() - make_interval(secs => ${param(q.updated_within)})`);
  if (q.q !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.message_type IN (0, 1) AND NOT m.private
                  AND strpos(lower(m.content), lower(${param(q.q)})) > 0)`);
  }
  if (shape.who === 'agent') where.push(`c.inbox_id IN (SELECT im.inbox_id FROM inbox_members im WHERE im.user_id = ${param(agentUserId)})`);
  const { rows } = await pool.query<OracleCounts>(
    `SELECT count(*)::int AS "all", count(*) FILTER (WHERE c.assignee_id IS NULL)::int AS unassigned,
            count(*) FILTER (WHERE c.assignee_id = $2)::int AS mine
       FROM conversations c WHERE ${where.join(' AND ')}`,
    values,
  );
  return rows[0];
}

interface Counts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}
interface Conversation {
  id: number;
  inbox_id: number;
  status: string;
  priority: string | null;
  labels: string[];
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  waiting_since: number;
  first_reply_created_at: number;
  meta: { assignee?: { id: number }; team?: { id: number } };
}
interface ListAnswer {
  data?: { meta?: Counts & { current_page: number; per_page: number; total_pages: number }; payload?: Conversation[] };
}

/**
 * Checks one answer. `userId` is the caller's (for `me`), `now` when it was asked (ms). With
 * updated_within the counts may differ from the oracle's by a few: the window moves between the two.
 */
export function checkAnswer(shape: Shape, status: number, body: string, oracle: OracleCounts, userId: number, now: number): ShapeCheck {
  const problems: string[] = [];
  const fail = (p: string) => problems.length < 5 && problems.push(p);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = null;
  }
  if (status !== 200 || !parsed) return { ok: false, problems: [`status ${status}: ${body.slice(0, 120)}`], allCount: NaN, oracleCount: oracle.all, listed: NaN, payload: NaN };
  const counts = shape.endpoint === 'meta' ? (parsed as { meta?: Counts }).meta : (parsed as ListAnswer).data?.meta;
  if (!counts || ![counts.mine_count, counts.assigned_count, counts.unassigned_count, counts.all_count].every((n) => Number.isInteger(n) && n >= 0)) {
    return { ok: false, problems: ['no counts in the answer'], allCount: NaN, oracleCount: oracle.all, listed: NaN, payload: NaN };
  }
  const slack = shape.query.updated_within !== undefined ? 2 + Math.ceil(oracle.all * 0.001) : 0;
  const near = (a: number, b: number) => Math.abs(a - b) <= slack;
  if (!near(counts.all_count, oracle.all)) fail(`all_count ${counts.all_count}, the bench's COUNT ${oracle.all}`);
  if (!near(counts.unassigned_count, oracle.unassigned)) fail(`unassigned_count ${counts.unassigned_count}, the bench's COUNT ${oracle.unassigned}`);
  if (!near(counts.mine_count, oracle.mine)) fail(`mine_count ${counts.mine_count}, the bench's COUNT ${oracle.mine}`);
  if (counts.assigned_count + counts.unassigned_count !== counts.all_count) fail('assigned + unassigned ≠ all');
  const type = shape.query.assignee_type ?? 'all';
  const listed = { me: counts.mine_count, unassigned: counts.unassigned_count, assigned: counts.assigned_count, all: counts.all_count }[type];
  if (shape.endpoint === 'meta') return { ok: problems.length === 0, problems, allCount: counts.all_count, oracleCount: oracle.all, listed, payload: 0 };

  const { meta, payload = [] } = (parsed as ListAnswer).data ?? {};
  const page = shape.query.page ?? 1;
  const expected = Math.max(0, Math.min(PER_PAGE, listed - (page - 1) * PER_PAGE));
  if (meta?.current_page !== page || meta.per_page !== PER_PAGE) fail(`current_page ${meta?.current_page}, per_page ${meta?.per_page}`);
  if (meta?.total_pages !== Math.ceil(listed / PER_PAGE)) fail(`total_pages ${meta?.total_pages} for ${listed} conversations`);
  if (payload.length !== expected) fail(`${payload.length} conversations on page ${page}, expected ${expected}`);
  for (const c of payload) {
    const why = mismatch(shape, c, userId, now);
    if (why) {
      fail(`conversation ${c.id}: ${why}`);
      break;
    }
  }
  const order = orderProblem(shape, payload);
  if (order) fail(order);
  return { ok: problems.length === 0, problems, allCount: counts.all_count, oracleCount: oracle.all, listed, payload: payload.length };
}

/** Why a conversation of the page does not belong there (by what its JSON shows), or null. */
function mismatch(shape: Shape, c: Conversation, userId: number, now: number): string | null {
  const q = shape.query;
  const status = statusOf(q);
  if (status !== 'all' && c.status !== status) return `status ${c.status}`;
  if (q.inbox_id !== undefined && c.inbox_id !== q.inbox_id) return `inbox ${c.inbox_id}`;
  if (q.team_id !== undefined && c.meta.team?.id !== q.team_id) return `team ${c.meta.team?.id}`;
  if (q.labels?.length && !c.labels.some((l) => q.labels!.includes(l))) return `labels ${c.labels.join(',')}`;
  if (q.assignee_type === 'me' && c.meta.assignee?.id !== userId) return `assignee ${c.meta.assignee?.id}`;
  if (q.assignee_type === 'unassigned' && c.meta.assignee) return 'assigned';
  if (q.assignee_type === 'assigned' && !c.meta.assignee) return 'unassigned';
  if (q.conversation_type === 'unattended' && c.first_reply_created_at !== 0 && c.waiting_since === 0) return 'attended';
  if (q.updated_within !== undefined && c.updated_at < now / 1000 - q.updated_within - 5) return `updated_at ${c.updated_at}`;
  return null;
}

/** The page in the order asked for (by the second-resolution values the JSON shows), or what breaks it. */
function orderProblem(shape: Shape, payload: Conversation[]): string | null {
  const sort = sortOf(shape.query);
  const desc = sort.endsWith('_desc');
  // Conversations without the value come last either way.
  const key = (c: Conversation): number => {
    if (sort.startsWith('priority')) return c.priority === null ? (desc ? -Infinity : Infinity) : PRIORITY_RANKS[c.priority];
    if (sort.startsWith('waiting_since')) return c.waiting_since === 0 ? (desc ? -Infinity : Infinity) : c.waiting_since;
    return sort.startsWith('created_at') ? c.created_at : c.last_activity_at;
  };
  for (let i = 1; i < payload.length; i++) {
    const [a, b] = [key(payload[i - 1]), key(payload[i])];
    if (desc ? b > a : b < a) return `not in ${sort} order at position ${i + 1}`;
  }
  return null;
}
