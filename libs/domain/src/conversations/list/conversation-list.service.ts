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
import type { ConversationRow } from '../sql/conversation-select.js';
import { countsStatement, type ListScope } from '../sql/list-query.js';
import type pg from 'pg';
import { listStatements, RENDER_PAGE_SQL, RENDER_PAGE_STATEMENT } from './list-statements.js';

interface CountsRow {
  mine_count: number;
  unassigned_count: number;
  all_count: number;
  /** Whether the team_id filter names a team of the account (true without one). */
  team_found: boolean;
}

/**
 * The list and meta of SPEC 4.1: who may see what, the filters, the counts, one page. A list request
 * is always four statements (authenticate; then the counts with the team check, side by side with the
 * page's ids followed by their rendering), a meta request two, whatever the filters and the page hold
 * (test/e2e/list-statements.e2e-spec.ts).
 */
@Injectable()
export class ConversationListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  async list(token: string, accountId: number, query: ListConversationsQuery): Promise<ConversationListReply> {
    const { scope, userId } = await this.scopeFor(token, accountId, query);
    const { counts, pageIds } = listStatements(scope, userId);
    // Side by side on two pooled connections: the counts, and the page (its ids, then its rendering).
    const [countRows, rows] = await Promise.all([
      this.rows<CountsRow>(counts.text, counts.values),
      this.rows<{ id: string }>(pageIds.text, pageIds.values).then((ids) =>
        this.rows<ConversationRow>(RENDER_PAGE_SQL, [ids.map((row) => row.id)], RENDER_PAGE_STATEMENT),
      ),
    ]);
    const meta = countsOf(checkedTeam(countRows[0], query));
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
    const rows = await this.rows<CountsRow>(counts.text, counts.values);
    return { meta: countsOf(checkedTeam(rows[0], query)) };
  }

  /**
   * A read on the DataSource's own pg pool, without TypeORM's query runner around it (a list request
   * is all reads, none in a transaction): a named statement is prepared once per connection.
   */
  private async rows<T extends object>(text: string, values: unknown[], name?: string): Promise<T[]> {
    const pool = (this.dataSource.driver as unknown as { master: pg.Pool }).master;
    return (await pool.query<T>(name ? { name, text, values } : { text, values })).rows;
  }

  /** Authenticates, refuses bots (403) and scopes agents to their inboxes. The team check rides on the counts. */
  private async scopeFor(token: string, accountId: number, query: ListConversationsQuery): Promise<{ scope: ListScope; userId: number }> {
    const caller = await this.access.callerFor(token, accountId);
    if (caller.kind === 'bot') throw new ForbiddenError('Agent bots may not list conversations.');
    return { scope: { accountId, memberUserId: inboxScopedUserId(caller), query, asOf: new Date() }, userId: caller.userId };
  }
}

/** A team_id filter naming no team of the account is 404 (SPEC 4.1), whatever the page holds. */
function checkedTeam(row: CountsRow | undefined, query: ListConversationsQuery): CountsRow | undefined {
  if (row && !row.team_found) throw new NotFoundError(`team ${query.team_id}`);
  return row;
}

function countsOf(row: CountsRow | undefined): ConversationCounts {
  const all = row?.all_count ?? 0;
  const unassigned = row?.unassigned_count ?? 0;
  return { mine_count: row?.mine_count ?? 0, assigned_count: all - unassigned, unassigned_count: unassigned, all_count: all };
}
