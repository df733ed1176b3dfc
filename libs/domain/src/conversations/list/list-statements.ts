import { selectConversationsSql } from '../sql/conversation-select.js';
import { countsStatement, orderByClause, pageIdsSubquery, type ListScope, type Statement } from '../sql/list-query.js';
import { SqlParams } from '../sql/sql-params.js';

/**
 * The two statements of one list request once the caller is known: the four counts (with the team
 * check) and the rendered page. A constant number whatever the page holds: the page's related rows are
 * joined in the same statement. Also run bare by the benchmark (bench/), so it times the same SQL.
 */
export function listStatements(scope: ListScope, meUserId: number): { counts: Statement; page: Statement } {
  const params = new SqlParams();
  const text = selectConversationsSql(pageIdsSubquery(scope, meUserId, params), orderByClause(scope.query.sort_by));
  return { counts: countsStatement(scope, meUserId), page: { text, values: params.values } };
}
