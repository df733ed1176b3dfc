import { Injectable } from '@nestjs/common';
import {
  PER_PAGE,
  type ConversationCounts,
  type ConversationListReply,
  type ConversationMetaReply,
  type ListConversationsQuery,
} from '#app/contracts';
import { DataSource } from 'typeorm';
import { AccessService } from '../../access/access.service.js';
import { inboxScopedUserId } from '../../access/caller.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { renderConversation } from '../render/conversation.renderer.js';
import { selectConversationsSql, type ConversationRow } from '../sql/conversation-select.js';
import { countsStatement, orderByClause, pageIdsSubquery, type ListScope } from '../sql/list-query.js';
import { SqlParams } from '../sql/sql-params.js';

interface CountsRow {
  mine_count: number;
  unassigned_count: number;
  all_count: number;
}

const TEAM_IN_ACCOUNT_SQL = 'SELECT EXISTS (SELECT 1 FROM teams WHERE id = $1::bigint AND account_id = $2::bigint) AS found';

/** The list and meta of SPEC 4.1: who may see what, the filters, the counts, one page. */
@Injectable()
export class ConversationListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  async list(token: string, accountId: number, query: ListConversationsQuery): Promise<ConversationListReply> {
    const { scope, userId } = await this.scopeFor(token, accountId, query);
    const counts = countsStatement(scope, userId);
    const params = new SqlParams();
    const pageSql = selectConversationsSql(pageIdsSubquery(scope, userId, params), orderByClause(query.sort_by));
    // Two statements, side by side on two pooled connections: the counts and the page.
    const [countRows, rows] = await Promise.all([
      this.dataSource.query<CountsRow[]>(counts.text, counts.values),
      this.dataSource.query<ConversationRow[]>(pageSql, params.values),
    ]);
    const meta = countsOf(countRows[0]);
    const listed = {
      me: meta.mine_count,
      unassigned: meta.unassigned_count,
      assigned: meta.assigned_count,
      all: meta.all_count,
    }[query.assignee_type];
    return {
      data: {
        meta: { ...meta, current_page: query.page, per_page: PER_PAGE, total_pages: Math.ceil(listed / PER_PAGE) },
        payload: rows.map(renderConversation),
      },
    };
  }

  async meta(token: string, accountId: number, query: ListConversationsQuery): Promise<ConversationMetaReply> {
    const { scope, userId } = await this.scopeFor(token, accountId, query);
    const counts = countsStatement(scope, userId);
    const rows = await this.dataSource.query<CountsRow[]>(counts.text, counts.values);
    return { meta: countsOf(rows[0]) };
  }

  /** Authenticates, refuses bots (403), checks a team filter (404) and scopes agents to their inboxes. */
  private async scopeFor(token: string, accountId: number, query: ListConversationsQuery): Promise<{ scope: ListScope; userId: number }> {
    const caller = await this.access.callerFor(token, accountId);
    if (caller.kind === 'bot') throw new ForbiddenError('Agent bots may not list conversations.');
    if (query.team_id !== undefined) {
      const [{ found }] = await this.dataSource.query<{ found: boolean }[]>(TEAM_IN_ACCOUNT_SQL, [query.team_id, accountId]);
      if (!found) throw new NotFoundError(`team ${query.team_id}`);
    }
    return { scope: { accountId, memberUserId: inboxScopedUserId(caller), query }, userId: caller.userId };
  }
}

function countsOf(row: CountsRow | undefined): ConversationCounts {
  const all = row?.all_count ?? 0;
  const unassigned = row?.unassigned_count ?? 0;
  return { mine_count: row?.mine_count ?? 0, assigned_count: all - unassigned, unassigned_count: unassigned, all_count: all };
}
