/**
 * A list request runs a constant number of SQL statements, whatever the page holds and whatever the
 * filters (no per-row queries): the domain services are built against the e2e database with a pg
 * client that counts every statement sent. Account 1 of test/fixtures/e2e-fixture.json (40
 * conversations) gives pages of 0, 1 and 25 conversations among the combinations below.
 */
import { ListConversationsQuery, SORT_ORDERS } from '#app/contracts';
import { AccessService, ConversationListService, NotFoundError } from '#app/domain';
import { dataSourceOptions } from '#app/persistence';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';

/** Every statement any connection of the pool sends, in order. */
const sent: string[] = [];

class CountingClient extends pg.Client {
  override query(...args: unknown[]): any {
    const [first] = args;
    sent.push(typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? ''));
    return (super.query as (...a: unknown[]) => unknown)(...args);
  }
}

const LIST_STATEMENTS = 4; // authenticate; counts (with the team check) side by side with the page ids, then the rendered page
const META_STATEMENTS = 2; // authenticate; counts

const flat = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);

describe('statements per list request', () => {
  let dataSource: DataSource;
  let lists: ConversationListService;

  beforeAll(async () => {
    const options = dataSourceOptions({ url: e2eEnvironment().databaseUrl, poolSize: 4, applicationName: 'e2e-list-statements' });
    dataSource = new DataSource({ ...options, extra: { ...(options.extra as object), Client: CountingClient } } as typeof options);
    await dataSource.initialize();
    lists = new ConversationListService(dataSource, new AccessService(dataSource));
    // Warm up: every pooled connection open, the render statement prepared on them.
    await Promise.all(Array.from({ length: 8 }, () => lists.list(TOKENS.admin, 1, query({ status: 'all' }))));
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const query = (values: Partial<ListConversationsQuery>) => Object.assign(new ListConversationsQuery(), values);

  /** The statements one call sends, and its page size (or the error it ended with). */
  async function measure(call: () => Promise<{ data?: { payload: unknown[] } } | unknown>): Promise<{ statements: string[]; outcome: string }> {
    sent.length = 0;
    let outcome: string;
    try {
      const reply = (await call()) as { data?: { payload: unknown[] } };
      outcome = reply.data ? `${reply.data.payload.length} conversations` : 'meta';
    } catch (error) {
      outcome = error instanceof NotFoundError ? '404' : `error ${(error as Error).message}`;
    }
    return { statements: sent.splice(0).map(flat), outcome };
  }

  it('is the same for every filter combination, every caller, and pages of 0, 1 and 25 conversations', async () => {
    const callers = { admin: TOKENS.admin, agent: TOKENS.agentBen };
    const pageSizes = new Set<string>();
    const wrong: string[] = [];
    for (const [caller, token] of Object.entries(callers)) {
      for (const status of ['open', 'resolved', 'pending', 'snoozed', 'all'] as const) {
        for (const assignee_type of ['me', 'unassigned', 'assigned', 'all'] as const) {
          for (const inbox_id of [undefined, 1, 3, 999_999]) {
            for (const team_id of [undefined, 1, 3]) {
              for (const labels of [undefined, ['vip'], ['refund', 'billing']]) {
                const q = query({ status, assignee_type, inbox_id, team_id, labels, sort_by: SORT_ORDERS[(inbox_id ?? 0) % SORT_ORDERS.length] });
                const { statements, outcome } = await measure(() => lists.list(token, 1, q));
                pageSizes.add(outcome);
                if (statements.length !== LIST_STATEMENTS) wrong.push(`${caller} ${JSON.stringify(q)}: ${statements.length} (${outcome}): ${statements.join(' | ')}`);
              }
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    // The combinations covered an empty page, a page of one, a full page, and a team of another account (404).
    expect([...pageSizes]).toEqual(expect.arrayContaining(['0 conversations', '1 conversations', '25 conversations', '404']));
  });

  it('is the same with the search, conversation_type, source_id and updated_within, alone and together', async () => {
    const wrong: string[] = [];
    for (const token of [TOKENS.admin, TOKENS.agentBen]) {
      for (const q of [undefined, 'refund', 'hello from 1', 'no such text']) {
        for (const conversation_type of [undefined, 'unattended'] as const) {
          for (const source_id of [undefined, 'c10-api', 'nobody']) {
            for (const updated_within of [undefined, 60, 2_592_000]) {
              for (const labels of [undefined, ['vip']]) {
                const filters = query({ q, conversation_type, source_id, updated_within, labels, status: q === undefined ? 'all' : undefined });
                const { statements, outcome } = await measure(() => lists.list(token, 1, filters));
                if (statements.length !== LIST_STATEMENTS) wrong.push(`${JSON.stringify(filters)}: ${statements.length} (${outcome})`);
                const counted = await measure(() => lists.meta(token, 1, filters));
                if (counted.statements.length !== META_STATEMENTS) wrong.push(`meta ${JSON.stringify(filters)}: ${counted.statements.length}`);
              }
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('is the same on every page, past the end included', async () => {
    for (const page of [1, 2, 3, 1000]) {
      const { statements } = await measure(() => lists.list(TOKENS.admin, 1, query({ status: 'all', page })));
      expect({ page, statements: statements.length }).toEqual({ page, statements: LIST_STATEMENTS });
    }
  });

  it('is two for the meta, with or without labels and team', async () => {
    for (const q of [query({}), query({ labels: ['vip'] }), query({ team_id: 1, inbox_id: 2 }), query({ team_id: 3 })]) {
      const { statements } = await measure(() => lists.meta(TOKENS.agentCleo, 1, q));
      expect(statements.length).toBe(META_STATEMENTS);
    }
  });
});
