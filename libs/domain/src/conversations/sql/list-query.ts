import { PER_PAGE, type AssigneeType, type ListConversationsQuery, type SortOrder } from '#app/contracts';
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

/** The conditions every list statement shares (alias `c` for conversations). */
export function scopeConditions(scope: ListScope, params: SqlParams): string[] {
  const { query } = scope;
  const conditions = [`c.account_id = ${params.add(scope.accountId, 'bigint')}`];
  if (scope.memberUserId !== null) {
    conditions.push(`c.inbox_id IN (SELECT im.inbox_id FROM inbox_members im WHERE im.user_id = ${params.add(scope.memberUserId, 'bigint')})`);
  }
  if (query.status !== 'all') conditions.push(`c.status = ${params.add(statusCode(query.status), 'smallint')}`);
  if (query.inbox_id !== undefined) conditions.push(`c.inbox_id = ${params.add(query.inbox_id, 'bigint')}`);
  if (query.team_id !== undefined) conditions.push(`c.team_id = ${params.add(query.team_id, 'bigint')}`);
  if (query.labels !== undefined && query.labels.length > 0) conditions.push(`c.labels && ${params.add(query.labels, 'text[]')}`);
  return conditions;
}

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

/** The four counts of SPEC 4.1 in one pass: every filter but assignee_type. */
export function countsStatement(scope: ListScope, meUserId: number): Statement {
  const params = new SqlParams();
  const where = scopeConditions(scope, params).join(' AND ');
  const me = params.add(meUserId, 'bigint');
  return {
    text: `SELECT count(*) FILTER (WHERE c.assignee_id = ${me})::int AS mine_count,
                  count(*) FILTER (WHERE c.assignee_id IS NULL)::int AS unassigned_count,
                  count(*)::int AS all_count
             FROM conversations c
            WHERE ${where}`,
    values: params.values,
  };
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
