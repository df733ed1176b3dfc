import {
  ASSIGNEE_TYPES,
  ListConversationsQuery,
  SORT_ORDER_NAMES,
  SORT_ORDERS,
  STATUS_FILTERS,
  statusFilterOf,
  validatePayload,
  type FieldError,
  type Validated,
} from '#app/contracts';

const validate = (plain: unknown) => validatePayload(ListConversationsQuery, plain);

/** The value of a payload that must be valid (fails the test with the errors otherwise). */
function valid(result: Validated<ListConversationsQuery>): ListConversationsQuery {
  if (!result.ok) throw new Error(`expected a valid query, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** The errors of a payload that must be refused. */
function refused(result: Validated<ListConversationsQuery>): FieldError[] {
  if (result.ok) throw new Error(`expected errors, got the value ${JSON.stringify(result.value)}`);
  return result.errors;
}

describe('validatePayload(ListConversationsQuery)', () => {
  describe('defaults (Chatwoot defaults every parameter)', () => {
    it('turns {} into the defaults of SPEC 4.1', () => {
      const value = valid(validate({}));
      expect(value).toBeInstanceOf(ListConversationsQuery);
      // status stays unset: its default depends on q (statusFilterOf).
      expect({ ...value }).toEqual({ assignee_type: 'all', page: 1, sort_by: 'last_activity_at_desc' });
      expect(statusFilterOf(value)).toBe('open');
      expect(value.inbox_id).toBeUndefined();
      expect(value.team_id).toBeUndefined();
      expect(value.labels).toBeUndefined();
    });

    it('keeps the defaults of the parameters that are not given', () => {
      expect({ ...valid(validate({ status: 'resolved' })) }).toEqual({
        assignee_type: 'all',
        status: 'resolved',
        page: 1,
        sort_by: 'last_activity_at_desc',
      });
    });

    it('drops parameters it does not know', () => {
      const value = valid(validate({ status: 'all', foo: { bar: 1 }, account_id: 3 }));
      expect(value).not.toHaveProperty('foo');
      expect(value).not.toHaveProperty('account_id');
      expect(value.status).toBe('all');
    });

    it('filters by status open by default, and by none (all) when q searches', () => {
      expect(statusFilterOf(valid(validate({})))).toBe('open');
      expect(statusFilterOf(valid(validate({ q: 'refund' })))).toBe('all');
      expect(statusFilterOf(valid(validate({ q: 'refund', status: 'resolved' })))).toBe('resolved');
      expect(statusFilterOf(valid(validate({ q: '   ' })))).toBe('open'); // an empty search is no search
    });
  });

  describe('enums', () => {
    it.each(ASSIGNEE_TYPES.map((v) => [v]))('accepts assignee_type=%s', (assignee_type) => {
      expect(valid(validate({ assignee_type })).assignee_type).toBe(assignee_type);
    });

    it.each(STATUS_FILTERS.map((v) => [v]))('accepts status=%s', (status) => {
      expect(valid(validate({ status })).status).toBe(status);
    });

    it.each(SORT_ORDERS.map((v) => [v]))('accepts sort_by=%s', (sort_by) => {
      expect(valid(validate({ sort_by })).sort_by).toBe(sort_by);
    });

    it('knows exactly the values of SPEC 4.1', () => {
      expect([...ASSIGNEE_TYPES]).toEqual(['me', 'unassigned', 'assigned', 'all']);
      expect([...STATUS_FILTERS]).toEqual(['open', 'resolved', 'pending', 'snoozed', 'all']);
      expect([...SORT_ORDERS].sort()).toEqual(
        [
          'last_activity_at_desc',
          'last_activity_at_asc',
          'created_at_desc',
          'created_at_asc',
          'priority_desc',
          'priority_asc',
          'waiting_since_asc',
          'waiting_since_desc',
        ].sort(),
      );
    });

    it.each([['OPEN'], ['Open'], ['closed'], [''], [' open'], [1], [['open']]])('refuses status=%j', (status) => {
      expect(refused(validate({ status }))).toEqual([
        { field: 'status', code: 'isIn', message: 'status must be one of: open, resolved, pending, snoozed, all' },
      ]);
    });

    it.each([['ME'], ['mine'], ['none'], [''], [0]])('refuses assignee_type=%j', (assignee_type) => {
      expect(refused(validate({ assignee_type }))).toEqual([
        { field: 'assignee_type', code: 'isIn', message: 'assignee_type must be one of: me, unassigned, assigned, all' },
      ]);
    });

    it.each([
      ['latest', 'last_activity_at_desc'],
      ['sort_on_created_at', 'created_at_asc'],
      ['sort_on_priority', 'priority_desc'],
      ['sort_on_waiting_since', 'waiting_since_asc'],
    ])("accepts Chatwoot's older sort_by=%s as %s", (sort_by, order) => {
      expect(valid(validate({ sort_by })).sort_by).toBe(order);
    });

    it.each([['LAST_ACTIVITY_AT_DESC'], ['last_activity_at'], ['priority'], ['id_desc'], [''], ['Latest'], ['toString'], ['__proto__x']])(
      'refuses sort_by=%j',
      (sort_by) => {
        expect(refused(validate({ sort_by }))).toEqual([{ field: 'sort_by', code: 'isIn', message: `sort_by must be one of: ${SORT_ORDER_NAMES.join(', ')}` }]);
      },
    );

    it('reports every bad parameter, one error each', () => {
      expect(refused(validate({ status: 'x', assignee_type: 'y', sort_by: 'z', page: 0 })).map((e) => [e.field, e.code])).toEqual([
        ['assignee_type', 'isIn'],
        ['status', 'isIn'],
        ['page', 'min'],
        ['sort_by', 'isIn'],
      ]);
    });
  });

  describe('page', () => {
    it.each([
      ['1', 1],
      ['2', 2],
      [3, 3],
      ['2147483647', 2_147_483_647],
    ])('accepts page=%j as %d', (page, expected) => {
      expect(valid(validate({ page })).page).toBe(expected);
    });

    it.each([[0], ['0'], [-1], ['-1']])('refuses page=%j as below 1', (page) => {
      expect(refused(validate({ page }))).toEqual([{ field: 'page', code: 'min', message: 'page must be 1 or more' }]);
    });

    it.each([[2_147_483_648], ['2147483648'], ['9999999999999999']])('refuses page=%j as too large', (page) => {
      expect(refused(validate({ page }))).toEqual([{ field: 'page', code: 'max', message: 'page must be 2147483647 or less' }]);
    });

    it.each([['abc'], ['1e3'], [' 1'], ['1 '], ['1.5'], [1.5], ['0x10'], ['+1'], [''], ['99999999999999999999'], [true], [[1]]])(
      'refuses page=%j as not an integer',
      (page) => {
        expect(refused(validate({ page }))).toEqual([{ field: 'page', code: 'isInt', message: 'page must be an integer' }]);
      },
    );
  });

  describe('inbox_id and team_id', () => {
    it.each([
      [5, 5],
      ['5', 5],
      ['007', 7],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ])('accepts inbox_id=%j and team_id=%j as numbers', (id, expected) => {
      const value = valid(validate({ inbox_id: id, team_id: id }));
      expect(value.inbox_id).toBe(expected);
      expect(value.team_id).toBe(expected);
    });

    it.each([['x'], ['1e3'], [' 1'], ['1.0'], [1.5], [''], [true], [{}]])('refuses inbox_id=%j and team_id=%j', (id) => {
      expect(refused(validate({ inbox_id: id, team_id: id }))).toEqual([
        { field: 'inbox_id', code: 'isInt', message: 'inbox_id must be an integer' },
        { field: 'team_id', code: 'isInt', message: 'team_id must be an integer' },
      ]);
    });

    it.each([[99999999999999999999], ['9999999999999999'], ['9007199254740993'], [Number.MAX_SAFE_INTEGER + 1]])(
      'refuses the unsafe integer %j as out of range',
      (id) => {
        expect(refused(validate({ inbox_id: id }))).toEqual([{ field: 'inbox_id', code: 'max', message: 'inbox_id is out of range' }]);
      },
    );

    it('refuses an integer string too long to be exact as not an integer', () => {
      expect(refused(validate({ team_id: '99999999999999999999' }))).toEqual([
        { field: 'team_id', code: 'isInt', message: 'team_id must be an integer' },
      ]);
    });
  });

  describe('labels', () => {
    it('turns one label into a list of one', () => {
      expect(valid(validate({ labels: 'vip' })).labels).toEqual(['vip']);
    });

    it('keeps a list of labels', () => {
      expect(valid(validate({ labels: ['vip', 'billing'] })).labels).toEqual(['vip', 'billing']);
    });

    it('accepts 100 labels and refuses 101', () => {
      const labels = (n: number) => Array.from({ length: n }, (_, i) => `l${i}`);
      expect(valid(validate({ labels: labels(100) })).labels).toHaveLength(100);
      expect(refused(validate({ labels: labels(101) }))).toEqual([
        { field: 'labels', code: 'arrayMaxSize', message: 'labels takes at most 100 values' },
      ]);
    });

    it('refuses labels that are not strings', () => {
      expect(refused(validate({ labels: ['vip', 3] }))).toEqual([{ field: 'labels', code: 'isString', message: 'labels must be a list of strings' }]);
      expect(refused(validate({ labels: { 0: 'a', 1: 'b' } }))).toEqual([
        { field: 'labels', code: 'isString', message: 'labels must be a list of strings' },
      ]);
    });

    it('refuses a label over 255 characters', () => {
      expect(valid(validate({ labels: ['x'.repeat(255)] })).labels).toEqual(['x'.repeat(255)]);
      expect(refused(validate({ labels: ['ok', 'x'.repeat(256)] }))).toEqual([
        { field: 'labels', code: 'maxLength', message: 'each label must be at most 255 characters' },
      ]);
    });
  });

  describe('NUL characters (Postgres cannot store them)', () => {
    const nul = (field: string) => [{ field, code: 'noNulCharacter', message: 'text must not contain the NUL character (\\u0000)' }];

    it.each([
      [{ status: 'op\u0000en' }, 'status'],
      [{ assignee_type: '\u0000' }, 'assignee_type'],
      [{ sort_by: 'created_at_desc\u0000' }, 'sort_by'],
      [{ page: '1\u0000' }, 'page'],
      [{ inbox_id: '\u00001' }, 'inbox_id'],
      [{ labels: 'a\u0000b' }, 'labels'],
      [{ labels: ['ok', 'b\u0000'] }, 'labels'],
      [{ q: 'refund \u0000' }, 'q'],
      [{ source_id: 'a\u0000' }, 'source_id'],
    ])('refuses %j naming %s', (plain, field) => {
      expect(refused(validate(plain))).toEqual(nul(field));
    });

    it('refuses a NUL in a parameter name, naming it', () => {
      expect(refused(validate({ 'sta\u0000tus': 'open' }))).toEqual(nul('sta\u0000tus'));
    });
  });

  describe('null (JSON from other services)', () => {
    // A JSON null for a parameter either is refused (400 naming it) or means "not given": it must
    // never reach the list query as null (sort_by null orders by `undefined`, labels null throws).
    it.each([
      ['assignee_type', 'all'],
      ['status', undefined],
      ['page', 1],
      ['sort_by', 'last_activity_at_desc'],
      ['inbox_id', undefined],
      ['team_id', undefined],
      ['labels', undefined],
      ['q', undefined],
      ['conversation_type', undefined],
      ['source_id', undefined],
      ['updated_within', undefined],
    ])('%s: null is refused or means the default', (field, fallback) => {
      const result = validate({ [field]: null });
      if (result.ok) expect((result.value as unknown as Record<string, unknown>)[field]).toEqual(fallback);
      else expect(result.errors.map((e) => e.field)).toEqual([field]);
    });
  });

  describe('q', () => {
    it('trims the search text, and takes empty text for no search', () => {
      expect(valid(validate({ q: '  refund ' })).q).toBe('refund');
      expect(valid(validate({ q: '' })).q).toBeUndefined();
      expect(valid(validate({ q: ' \t ' })).q).toBeUndefined();
    });

    it('accepts 200 characters after trimming and refuses 201', () => {
      expect(valid(validate({ q: ` ${'x'.repeat(200)} ` })).q).toHaveLength(200);
      expect(refused(validate({ q: 'x'.repeat(201) }))).toEqual([{ field: 'q', code: 'maxLength', message: 'q must be at most 200 characters' }]);
    });

    it.each([[5], [true], [['a', 'b']], [{}]])('refuses q=%j as not text', (q) => {
      expect(refused(validate({ q })).map((e) => [e.field, e.code])).toEqual([['q', 'isString']]);
    });
  });

  describe('conversation_type', () => {
    it('accepts unattended', () => {
      expect(valid(validate({ conversation_type: 'unattended' })).conversation_type).toBe('unattended');
    });

    it.each([['mention'], ['participating']])('refuses %s as not supported here, never an unfiltered list', (conversation_type) => {
      expect(refused(validate({ conversation_type }))).toEqual([
        {
          field: 'conversation_type',
          code: 'isIn',
          message: `conversation_type=${conversation_type} is not supported here: this service keeps no mentions or participants (only unattended)`,
        },
      ]);
    });

    it.each([['Unattended'], ['unassigned'], [''], [1]])('refuses conversation_type=%j', (conversation_type) => {
      expect(refused(validate({ conversation_type }))).toEqual([
        { field: 'conversation_type', code: 'isIn', message: 'conversation_type must be one of: unattended' },
      ]);
    });
  });

  describe('source_id', () => {
    it('keeps the source id as given', () => {
      expect(valid(validate({ source_id: 'carl-api' })).source_id).toBe('carl-api');
      expect(valid(validate({ source_id: 'x'.repeat(255) })).source_id).toHaveLength(255);
    });

    it.each([[''], ['x'.repeat(256)]])('refuses source_id of length %#', (source_id) => {
      expect(refused(validate({ source_id }))).toEqual([{ field: 'source_id', code: 'isLength', message: 'source_id must be 1 to 255 characters' }]);
    });

    it.each([[12], [true], [['a']]])('refuses source_id=%j as not text', (source_id) => {
      expect(refused(validate({ source_id })).map((e) => e.field)).toEqual(['source_id']);
    });
  });

  describe('updated_within', () => {
    it.each([
      ['1', 1],
      [3600, 3600],
      ['2592000', 2_592_000],
    ])('accepts updated_within=%j as %d seconds', (updated_within, expected) => {
      expect(valid(validate({ updated_within })).updated_within).toBe(expected);
    });

    it.each([
      [0, 'min', 'updated_within must be 1 or more'],
      ['-5', 'min', 'updated_within must be 1 or more'],
      [2_592_001, 'max', 'updated_within must be 2592000 (30 days) or less'],
      ['1.5', 'isInt', 'updated_within must be an integer number of seconds'],
      ['1h', 'isInt', 'updated_within must be an integer number of seconds'],
      ['', 'isInt', 'updated_within must be an integer number of seconds'],
    ])('refuses updated_within=%j', (updated_within, code, message) => {
      expect(refused(validate({ updated_within }))).toEqual([{ field: 'updated_within', code, message }]);
    });
  });
});
