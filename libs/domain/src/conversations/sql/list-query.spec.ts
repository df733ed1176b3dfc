import { ListConversationsQuery, SORT_ORDERS, type SortOrder } from '#app/contracts';
import { containsPattern, countsRoad, countsStatement, pageIdsSubquery, type ListScope } from './list-query.js';
import { SqlParams } from './sql-params.js';

const ACCOUNT = 7;
const ME = 42;

/** A query as validation leaves it: the defaults, overridden by `values`. */
const query = (values: Partial<ListConversationsQuery> = {}) => Object.assign(new ListConversationsQuery(), values);
const AS_OF = new Date('2026-06-01T12:00:00Z');
const admin = (values: Partial<ListConversationsQuery> = {}): ListScope => ({ accountId: ACCOUNT, memberUserId: null, query: query(values), asOf: AS_OF });
const agent = (userId: number, values: Partial<ListConversationsQuery> = {}): ListScope => ({
  accountId: ACCOUNT,
  memberUserId: userId,
  query: query(values),
  asOf: AS_OF,
});

/** The SQL with runs of whitespace collapsed, so fragments can be matched whatever the layout. */
const flat = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** The conditions of the (last) WHERE clause, up to ORDER BY or the end. */
function whereConditions(sql: string, from = 'conversations c'): string[] {
  const match = /WHERE (.*?)(?: ORDER BY |$)/.exec(flat(sql).slice(flat(sql).lastIndexOf(`FROM ${from}`)));
  if (!match) throw new Error(`no WHERE in ${sql}`);
  return match[1].split(' AND ');
}

function page(scope: ListScope, params = new SqlParams()) {
  const text = pageIdsSubquery(scope, ME, params);
  return { text, flat: flat(text), values: params.values };
}

describe('countsStatement', () => {
  describe('without a labels filter: the kept counters', () => {
    it('sums mine, unassigned and all over conversation_counts in one statement', () => {
      const statement = countsStatement(admin(), ME);
      const sql = flat(statement.text);
      expect(countsRoad(admin())).toBe('counters');
      expect(sql).toContain('COALESCE(sum(k.n) FILTER (WHERE k.assignee_id = $3::bigint), 0)::int AS mine_count');
      expect(sql).toContain('COALESCE(sum(k.n) FILTER (WHERE k.assignee_id = 0), 0)::int AS unassigned_count');
      expect(sql).toContain('COALESCE(sum(k.n), 0)::int AS all_count');
      expect(sql).toContain('true AS team_found');
      expect(sql).toContain('FROM conversation_counts k');
      expect(sql).not.toContain('FROM conversations');
      expect(whereConditions(statement.text, 'conversation_counts k')).toEqual(['k.account_id = $1::bigint', 'k.status = $2::smallint']);
      expect(statement.values).toEqual([ACCOUNT, 0, ME]);
    });

    it.each([
      ['open', 0],
      ['resolved', 1],
      ['pending', 2],
      ['snoozed', 3],
    ] as const)('status=%s filters on the stored code %d', (status, code) => {
      const statement = countsStatement(admin({ status }), ME);
      expect(whereConditions(statement.text, 'conversation_counts k')).toEqual(['k.account_id = $1::bigint', 'k.status = $2::smallint']);
      expect(statement.values).toEqual([ACCOUNT, code, ME]);
    });

    it('status=all applies no status filter', () => {
      const statement = countsStatement(admin({ status: 'all' }), ME);
      expect(whereConditions(statement.text, 'conversation_counts k')).toEqual(['k.account_id = $1::bigint']);
      expect(statement.values).toEqual([ACCOUNT, ME]);
    });

    it('scopes an agent to the inboxes it is a member of', () => {
      const statement = countsStatement(agent(5), ME);
      expect(whereConditions(statement.text, 'conversation_counts k')).toEqual([
        'k.account_id = $1::bigint',
        'k.inbox_id IN (SELECT im.inbox_id FROM inbox_members im WHERE im.user_id = $2::bigint)',
        'k.status = $3::smallint',
      ]);
      expect(statement.values).toEqual([ACCOUNT, 5, 0, ME]);
    });

    it('inbox_id and team_id filter the counter rows; team_id also checks the team belongs to the account', () => {
      const statement = countsStatement(agent(5, { status: 'pending', inbox_id: 3, team_id: 4 }), ME);
      expect(countsRoad(agent(5, { status: 'pending', inbox_id: 3, team_id: 4 }))).toBe('counters');
      expect(whereConditions(statement.text, 'conversation_counts k')).toEqual([
        'k.account_id = $1::bigint',
        'k.inbox_id IN (SELECT im.inbox_id FROM inbox_members im WHERE im.user_id = $2::bigint)',
        'k.status = $3::smallint',
        'k.inbox_id = $4::bigint',
        'k.team_id = $5::bigint',
      ]);
      expect(flat(statement.text)).toContain('EXISTS (SELECT 1 FROM teams t WHERE t.id = $7::bigint AND t.account_id = $1::bigint) AS team_found');
      expect(statement.values).toEqual([ACCOUNT, 5, 2, 3, 4, ME, 4]);
    });

    it('an empty label list keeps the counters road', () => {
      const statement = countsStatement(admin({ labels: [] }), ME);
      expect(countsRoad(admin({ labels: [] }))).toBe('counters');
      expect(flat(statement.text)).not.toContain('labels');
      expect(statement.values).toEqual([ACCOUNT, 0, ME]);
    });
  });

  describe('with one label: the per-label counters', () => {
    it('sums the rows of that label, with the other conditions of the counters', () => {
      const statement = countsStatement(agent(5, { labels: ['vip', 'vip'], inbox_id: 3 }), ME);
      const sql = flat(statement.text);
      expect(countsRoad(admin({ labels: ['vip'] }))).toBe('label-counters');
      expect(sql).toContain('FROM conversation_label_counts k');
      expect(sql).toContain('COALESCE(sum(k.n) FILTER (WHERE k.assignee_id = 0), 0)::int AS unassigned_count');
      expect(whereConditions(statement.text, 'conversation_label_counts k')).toEqual([
        'k.account_id = $1::bigint',
        'k.inbox_id IN (SELECT im.inbox_id FROM inbox_members im WHERE im.user_id = $2::bigint)',
        'k.status = $3::smallint',
        'k.inbox_id = $4::bigint',
        'k.label = $5::text',
      ]);
      expect(statement.values).toEqual([ACCOUNT, 5, 0, 3, 'vip', ME]);
    });

    it('takes the COUNT road with unattended too (the label counters do not keep it)', () => {
      expect(countsRoad(admin({ labels: ['vip'], conversation_type: 'unattended' }))).toBe('scan');
    });
  });

  describe('with two labels or more: COUNT(*) FILTER over conversations', () => {
    it('counts mine, unassigned and all in one pass over the matching conversations', () => {
      const statement = countsStatement(admin({ labels: ['vip', 'billing'] }), ME);
      const sql = flat(statement.text);
      expect(countsRoad(admin({ labels: ['vip', 'billing'] }))).toBe('scan');
      expect(sql).toContain('count(*) FILTER (WHERE c.assignee_id = $4::bigint)::int AS mine_count');
      expect(sql).toContain('count(*) FILTER (WHERE c.assignee_id IS NULL)::int AS unassigned_count');
      expect(sql).toContain('count(*)::int AS all_count');
      expect(sql).toContain('FROM conversations c');
      expect(whereConditions(statement.text)).toEqual(['c.account_id = $1::bigint', 'c.status = $2::smallint', 'c.labels && $3::text[]']);
      expect(statement.values).toEqual([ACCOUNT, 0, ['vip', 'billing'], ME]);
    });

    it('combines every filter with AND, values in placeholder order', () => {
      const statement = countsStatement(agent(5, { status: 'pending', inbox_id: 3, team_id: 4, labels: ['vip', 'bug'] }), ME);
      expect(whereConditions(statement.text)).toEqual([
        'c.account_id = $1::bigint',
        'c.inbox_id IN (SELECT im.inbox_id FROM inbox_members im WHERE im.user_id = $2::bigint)',
        'c.status = $3::smallint',
        'c.inbox_id = $4::bigint',
        'c.team_id = $5::bigint',
        'c.labels && $6::text[]',
      ]);
      expect(flat(statement.text)).toContain('c.assignee_id = $7::bigint');
      expect(flat(statement.text)).toContain('EXISTS (SELECT 1 FROM teams t WHERE t.id = $8::bigint AND t.account_id = $1::bigint) AS team_found');
      expect(statement.values).toEqual([ACCOUNT, 5, 2, 3, 4, ['vip', 'bug'], ME, 4]);
    });
  });

  it('takes the COUNT road without labels when asked to, never the counters road with labels', () => {
    const forced = countsStatement(admin(), ME, 'scan');
    expect(flat(forced.text)).toContain('count(*) FILTER (WHERE c.assignee_id IS NULL)::int AS unassigned_count');
    expect(whereConditions(forced.text)).toEqual(['c.account_id = $1::bigint', 'c.status = $2::smallint']);
    expect(() => countsStatement(admin({ labels: ['vip'] }), ME, 'counters')).toThrow();
  });

  it('has no ORDER BY, LIMIT or OFFSET on either road', () => {
    expect(flat(countsStatement(admin({ page: 3, sort_by: 'priority_asc' }), ME).text)).not.toMatch(/ORDER BY|LIMIT|OFFSET/);
    expect(flat(countsStatement(admin({ page: 3, labels: ['x'] }), ME).text)).not.toMatch(/ORDER BY|LIMIT|OFFSET/);
  });

  it('does not change with assignee_type, page or sort_by', () => {
    for (const labels of [undefined, ['vip']]) {
      const base = countsStatement(admin({ labels }), ME);
      for (const assignee_type of ['me', 'unassigned', 'assigned', 'all'] as const) {
        expect(countsStatement(admin({ labels, assignee_type, page: 9, sort_by: 'created_at_asc' }), ME)).toEqual(base);
      }
    }
  });

  it('never puts a value into the SQL text', () => {
    for (const labels of [["x' OR 1=1 --"], ["x' OR 1=1 --", 'y']]) {
      const statement = countsStatement(agent(5, { labels, inbox_id: 3 }), ME);
      expect(statement.text).not.toContain("x'");
      expect(JSON.stringify(statement.values)).toContain("x' OR 1=1 --");
    }
  });
});

describe('pageIdsSubquery', () => {
  it('selects the ids of page 1: 25 rows from offset 0', () => {
    const { text, flat: sql, values } = page(admin());
    expect(sql).toMatch(/^SELECT c\.id FROM conversations c WHERE /);
    expect(whereConditions(text)).toEqual(['c.account_id = $1::bigint', 'c.status = $2::smallint']);
    expect(sql).toContain('ORDER BY c.last_activity_at DESC, c.display_id DESC');
    expect(sql).toMatch(/LIMIT 25 OFFSET \$3::bigint$/);
    expect(values).toEqual([ACCOUNT, 0, 0]);
  });

  it('page 3 starts at offset 50', () => {
    expect(page(admin({ page: 3 })).values).toEqual([ACCOUNT, 0, 50]);
  });

  it('a large page keeps an exact offset', () => {
    expect(page(admin({ page: 2_147_483_647 })).values.at(-1)).toBe((2_147_483_647 - 1) * 25);
  });

  it('shares the conditions of the counts', () => {
    const scope = agent(5, { status: 'snoozed', inbox_id: 3, team_id: 4, labels: ['vip', 'bug'] });
    const { text, values } = page(scope);
    expect(whereConditions(text)).toEqual(whereConditions(countsStatement(scope, ME).text));
    expect(values).toEqual([ACCOUNT, 5, 3, 3, 4, ['vip', 'bug'], 0]);
  });

  describe('assignee_type', () => {
    it('me: assigned to the caller', () => {
      const { text, values } = page(admin({ assignee_type: 'me' }));
      expect(whereConditions(text)).toEqual(['c.account_id = $1::bigint', 'c.status = $2::smallint', 'c.assignee_id = $3::bigint']);
      expect(values).toEqual([ACCOUNT, 0, ME, 0]);
      expect(flat(text)).toContain('OFFSET $4::bigint');
    });

    it('unassigned: no assignee', () => {
      const { text, values } = page(admin({ assignee_type: 'unassigned' }));
      expect(whereConditions(text)).toEqual(['c.account_id = $1::bigint', 'c.status = $2::smallint', 'c.assignee_id IS NULL']);
      expect(values).toEqual([ACCOUNT, 0, 0]);
    });

    it('assigned: some assignee', () => {
      const { text, values } = page(admin({ assignee_type: 'assigned' }));
      expect(whereConditions(text)).toEqual(['c.account_id = $1::bigint', 'c.status = $2::smallint', 'c.assignee_id IS NOT NULL']);
      expect(values).toEqual([ACCOUNT, 0, 0]);
    });

    it('all: no assignee condition', () => {
      const { flat: sql } = page(admin({ assignee_type: 'all' }));
      expect(sql).not.toContain('assignee_id');
    });
  });

  describe('sort orders: X then display id, the same direction; no value last', () => {
    const expected: Record<SortOrder, string> = {
      last_activity_at_desc: 'c.last_activity_at DESC, c.display_id DESC',
      last_activity_at_asc: 'c.last_activity_at ASC, c.display_id ASC',
      created_at_desc: 'c.created_at DESC, c.display_id DESC',
      created_at_asc: 'c.created_at ASC, c.display_id ASC',
      priority_desc: 'c.priority DESC NULLS LAST, c.display_id DESC',
      priority_asc: 'c.priority ASC NULLS LAST, c.display_id ASC',
      waiting_since_desc: 'c.waiting_since DESC NULLS LAST, c.display_id DESC',
      waiting_since_asc: 'c.waiting_since ASC NULLS LAST, c.display_id ASC',
    };

    it('covers the 8 orders of SPEC 4.1', () => {
      expect(Object.keys(expected).sort()).toEqual([...SORT_ORDERS].sort());
    });

    it.each(SORT_ORDERS.map((sort) => [sort]))('%s', (sort_by) => {
      const match = /ORDER BY (.*?) LIMIT /.exec(page(admin({ sort_by })).flat);
      expect(match?.[1]).toBe(expected[sort_by]);
    });
  });

  it('continues the numbering of the params it is given', () => {
    const params = new SqlParams();
    params.add('already there');
    const text = pageIdsSubquery(admin({ inbox_id: 9 }), ME, params);
    expect(whereConditions(text)).toEqual(['c.account_id = $2::bigint', 'c.status = $3::smallint', 'c.inbox_id = $4::bigint']);
    expect(flat(text)).toContain('OFFSET $5::bigint');
    expect(params.values).toEqual(['already there', ACCOUNT, 0, 9, 0]);
  });
});

describe("Chatwoot's other filters: q, conversation_type, source_id, updated_within", () => {
  it('conversation_type=unattended is kept by the counters', () => {
    const statement = countsStatement(admin({ conversation_type: 'unattended' }), ME);
    expect(countsRoad(admin({ conversation_type: 'unattended' }))).toBe('counters');
    expect(whereConditions(statement.text, 'conversation_counts k')).toEqual(['k.account_id = $1::bigint', 'k.status = $2::smallint', 'k.unattended']);
  });

  it('q, source_id and updated_within take the COUNT road: the counters keep none of them', () => {
    for (const values of [{ q: 'refund' }, { source_id: 's' }, { updated_within: 60 }, { labels: ['a'], q: 'x' }]) {
      expect(countsRoad(admin(values))).toBe('scan');
      expect(flat(countsStatement(admin(values), ME).text)).toContain('FROM conversations c');
      expect(() => countsStatement(admin(values), ME, 'counters')).toThrow();
    }
  });

  it('q: a semi-join on the searchable messages of the account, with the text as an escaped ILIKE pattern; status all by default', () => {
    const { flat: sql, values } = page(admin({ q: 'refund' }));
    expect(sql).toContain(
      'c.id IN (SELECT m.conversation_id FROM messages m WHERE m.account_id = $1::bigint AND m.message_type IN (0, 1) AND NOT m.private AND m.content ILIKE $2::text)',
    );
    expect(sql).not.toContain('c.status');
    expect(values).toEqual([ACCOUNT, '%refund%', 0]);
    expect(page(admin({ q: 'refund', status: 'resolved' })).values).toEqual([ACCOUNT, 1, '%refund%', 0]);
  });

  it.each([
    ['refund', '%refund%'],
    ['100%', '%100\\%%'],
    ['a_b', '%a\\_b%'],
    ['back\\slash', '%back\\\\slash%'],
  ])('containsPattern(%j) is %j', (text, pattern) => {
    expect(containsPattern(text)).toBe(pattern);
  });

  it("conversation_type=unattended: no first reply, or waiting (Chatwoot's rule)", () => {
    expect(page(admin({ conversation_type: 'unattended' })).flat).toContain('AND (c.first_reply_created_at IS NULL OR c.waiting_since IS NOT NULL) ORDER BY');
  });

  it("source_id: the conversations of the account's contact_inboxes with that source id", () => {
    const { flat: sql, values } = page(agent(5, { source_id: 'carl-api' }));
    expect(sql).toContain(
      'c.contact_inbox_id IN (SELECT ci.id FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id WHERE ci.source_id = $4::text AND i.account_id = $1::bigint)',
    );
    expect(values).toEqual([ACCOUNT, 5, 0, 'carl-api', 0]);
  });

  it('updated_within: updated at or after asOf minus N seconds, the same instant for the counts and the page', () => {
    const scope = admin({ updated_within: 3600 });
    const { flat: sql, values } = page(scope);
    expect(sql).toContain('c.updated_at >= $3::timestamptz');
    expect(values).toEqual([ACCOUNT, 0, new Date('2026-06-01T11:00:00Z'), 0]);
    expect(countsStatement(scope, ME).values).toContainEqual(new Date('2026-06-01T11:00:00Z'));
  });

  it('refers to the account by its own placeholder when the params are already numbered', () => {
    const params = new SqlParams();
    params.add('already there');
    const sql = flat(pageIdsSubquery(admin({ q: 'x', source_id: 's' }), ME, params));
    expect(sql).toContain('i.account_id = $2::bigint');
    expect(sql).toContain('m.account_id = $2::bigint');
  });

  it('combines all of them with every other filter, with AND', () => {
    const scope = agent(5, { q: 'x', conversation_type: 'unattended', source_id: 's', updated_within: 10, labels: ['vip'], inbox_id: 3, team_id: 4 });
    const sql = flat(countsStatement(scope, ME).text);
    for (const fragment of ['c.labels &&', 'c.first_reply_created_at IS NULL', 'ci.source_id =', 'c.updated_at >=', 'm.content ILIKE', 'c.inbox_id = ', 'c.team_id = ']) {
      expect(sql).toContain(fragment);
    }
    expect(flat(page(scope).text)).toContain('m.content ILIKE');
  });
});

describe('SqlParams', () => {
  it('hands out $n placeholders with an optional cast', () => {
    const params = new SqlParams();
    expect(params.add(1)).toBe('$1');
    expect(params.add('a', 'text')).toBe('$2::text');
    expect(params.add([1, 2], 'bigint[]')).toBe('$3::bigint[]');
    expect(params.values).toEqual([1, 'a', [1, 2]]);
  });
});
