import { MESSAGE_TYPES, PER_PAGE, statusFilterOf, type AssigneeType, type ListConversationsQuery, type SortOrder } from '#app/contracts';
import { SqlParams } from './sql-params.js';
import { statusCode } from './status-codes.js';

/**
 * What narrows a list, already resolved against the caller: every filter of SPEC 4.1 except
 * `assignee_type`, which splits the counts instead of narrowing them.
 */
export interface ListScope {
  accountId: number;
  /** Set for agents: only conversations in inboxes this user is a member of. */
  memberUserId: number | null;
  query: ListConversationsQuery;
  /** The moment the list is taken: `updated_within` counts back from it, the same for the counts and the page. */
  asOf: Date;
}

export interface Statement {
  text: string;
  values: unknown[];
}

/** `X_desc`: X descending then display id descending; `X_asc` the reverse. No value comes last either way. */
const ORDER_BY: Record<SortOrder, string> = {
  last_activity_at_desc: 'c.last_activity_at DESC, c.display_id DESC',
  last_activity_at_asc: 'c.last_activity_at ASC, c.display_id ASC',
  created_at_desc: 'c.created_at DESC, c.display_id DESC',
  created_at_asc: 'c.created_at ASC, c.display_id ASC',
  priority_desc: 'c.priority DESC NULLS LAST, c.display_id DESC',
  priority_asc: 'c.priority ASC NULLS LAST, c.display_id ASC',
  waiting_since_desc: 'c.waiting_since DESC NULLS LAST, c.display_id DESC',
  waiting_since_asc: 'c.waiting_since ASC NULLS LAST, c.display_id ASC',
};

export function orderByClause(sort: SortOrder): string {
  return ORDER_BY[sort];
}

/**
 * The conditions every list statement shares. `alias` is `c` (conversations) or `k` (the kept counters,
 * which have the same account_id, inbox_id, status and team_id columns: callers only pass `k` when
 * `countsRoad` says the counters can serve the scope, and add the label condition themselves).
 */
export function scopeConditions(scope: ListScope, params: SqlParams, alias: 'c' | 'k' = 'c'): string[] {
  const { query } = scope;
  const status = statusFilterOf(query);
  const account = params.add(scope.accountId, 'bigint');
  const conditions = [`${alias}.account_id = ${account}`];
  if (scope.memberUserId !== null) {
    conditions.push(`${alias}.inbox_id IN (SELECT im.inbox_id FROM inbox_members im WHERE im.user_id = ${params.add(scope.memberUserId, 'bigint')})`);
  }
  if (status !== 'all') conditions.push(`${alias}.status = ${params.add(statusCode(status), 'smallint')}`);
  if (query.inbox_id !== undefined) conditions.push(`${alias}.inbox_id = ${params.add(query.inbox_id, 'bigint')}`);
  if (query.team_id !== undefined) conditions.push(`${alias}.team_id = ${params.add(query.team_id, 'bigint')}`);
  // Chatwoot's rule: no first reply yet, or the contact waits for one (kept as a column of the counters).
  if (query.conversation_type === 'unattended') conditions.push(alias === 'k' ? 'k.unattended' : '(c.first_reply_created_at IS NULL OR c.waiting_since IS NOT NULL)');
  if (alias === 'k') return conditions;
  if (hasLabels(scope)) conditions.push(`c.labels && ${params.add(query.labels, 'text[]')}`);
  if (query.source_id !== undefined) {
    conditions.push(`c.contact_inbox_id IN (SELECT ci.id FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id
                     WHERE ci.source_id = ${params.add(query.source_id, 'text')} AND i.account_id = ${account})`);
  }
  if (query.updated_within !== undefined) {
    conditions.push(`c.updated_at >= ${params.add(new Date(scope.asOf.getTime() - query.updated_within * 1000), 'timestamptz')}`);
  }
  if (query.q !== undefined) {
    // The predicate of the partial trigram index on messages.content, so that index can serve it.
    conditions.push(`c.id IN (SELECT m.conversation_id FROM messages m
                     WHERE m.account_id = ${account} AND m.message_type IN (${SEARCHED_MESSAGE_TYPES}) AND NOT m.private
                       AND m.content ILIKE ${params.add(containsPattern(query.q), 'text')})`);
  }
  return conditions;
}

/** What `q` searches: what the contact and the agents said (not activity messages, templates or private notes). */
export const SEARCHED_MESSAGE_TYPES = [MESSAGE_TYPES.indexOf('incoming'), MESSAGE_TYPES.indexOf('outgoing')].join(', ');

/** An ILIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Whether the list is filtered by labels. */
export const hasLabels = (scope: ListScope): boolean => scope.query.labels !== undefined && scope.query.labels.length > 0;

/** The `assignee_type` condition, given who "me" is (bots never list, so there is always a user). */
export function assigneeCondition(type: AssigneeType, meUserId: number, params: SqlParams): string | null {
  switch (type) {
    case 'me':
      return `c.assignee_id = ${params.add(meUserId, 'bigint')}`;
    case 'unassigned':
      return 'c.assignee_id IS NULL';
    case 'assigned':
      return 'c.assignee_id IS NOT NULL';
    case 'all':
      return null;
  }
}

/**
 * Which road the counts take (docs/benchmarks.md): the kept counters, the kept per-label counters (one
 * label), or a COUNT over conversations.
 */
export type CountsRoad = 'counters' | 'label-counters' | 'scan';

/**
 * The counters keep account, inbox, team, status, assignee and whether the conversation is unattended,
 * and the per-label counters all but the last for each label. Two labels or more ("any of") cannot be summed from per-label rows (a conversation may carry
 * both), and the other filters are not kept at all: those need the COUNT.
 */
export const countsRoad = (scope: ListScope): CountsRoad => {
  const { query } = scope;
  if (query.q !== undefined || query.source_id !== undefined || query.updated_within !== undefined) return 'scan';
  if (!hasLabels(scope)) return 'counters';
  return new Set(query.labels).size === 1 && query.conversation_type === undefined ? 'label-counters' : 'scan';
};

const KEPT_COUNTS_TABLE = { counters: 'conversation_counts', 'label-counters': 'conversation_label_counts' } as const;

/**
 * The four counts of SPEC 4.1 in one statement: every filter but assignee_type. Columns: mine_count,
 * unassigned_count, all_count (assigned = all - unassigned) and team_found, whether the team_id filter
 * names a team of the account (true without one), so the 404 costs no statement of its own.
 *
 * - Counters: a SUM over the rows of `conversation_counts` (or, for one label, `conversation_label_counts`),
 *   kept by triggers in the same transaction as every write, that match status, inbox_id, team_id and an
 *   agent's inboxes; a few thousand rows at most whatever the account's size.
 * - Scan: COUNT(*) FILTER over the matching conversations.
 *
 * `road` forces the COUNT road where the counters could serve (the benchmark times both).
 */
export function countsStatement(scope: ListScope, meUserId: number, road: CountsRoad = countsRoad(scope)): Statement {
  if (road !== 'scan' && road !== countsRoad(scope)) throw new Error(`the ${road} cannot serve these filters`);
  const params = new SqlParams();
  const kept = road !== 'scan';
  const conditions = scopeConditions(scope, params, kept ? 'k' : 'c');
  if (road === 'label-counters') conditions.push(`k.label = ${params.add(scope.query.labels![0], 'text')}`);
  const where = conditions.join(' AND ');
  const me = params.add(meUserId, 'bigint');
  const teamFound =
    scope.query.team_id === undefined
      ? 'true'
      : `EXISTS (SELECT 1 FROM teams t WHERE t.id = ${params.add(scope.query.team_id, 'bigint')} AND t.account_id = $1::bigint)`;
  const text = kept
    ? `SELECT COALESCE(sum(k.n) FILTER (WHERE k.assignee_id = ${me}), 0)::int AS mine_count,
                COALESCE(sum(k.n) FILTER (WHERE k.assignee_id = 0), 0)::int AS unassigned_count,
                COALESCE(sum(k.n), 0)::int AS all_count,
                ${teamFound} AS team_found
           FROM ${KEPT_COUNTS_TABLE[road]} k
          WHERE ${where}`
    : `SELECT count(*) FILTER (WHERE c.assignee_id = ${me})::int AS mine_count,
                count(*) FILTER (WHERE c.assignee_id IS NULL)::int AS unassigned_count,
                count(*)::int AS all_count,
                ${teamFound} AS team_found
           FROM conversations c
          WHERE ${where}`;
  return { text, values: params.values };
}

/** Internal ids of one page, in order: the statement that renders them joins everything else. */
export function pageIdsSubquery(scope: ListScope, meUserId: number, params: SqlParams): string {
  const conditions = scopeConditions(scope, params);
  const assignee = assigneeCondition(scope.query.assignee_type, meUserId, params);
  if (assignee) conditions.push(assignee);
  const offset = (scope.query.page - 1) * PER_PAGE;
  return `SELECT c.id FROM conversations c
           WHERE ${conditions.join(' AND ')}
           ORDER BY ${orderByClause(scope.query.sort_by)}
           LIMIT ${PER_PAGE} OFFSET ${params.add(offset, 'bigint')}`;
}
