import { ASSIGNEE_TYPES, ListConversationsQuery, SORT_ORDERS, STATUS_FILTERS, validatePayload, type FieldError, type Validated } from '#app/contracts';

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
      expect({ ...value }).toEqual({ assignee_type: 'all', status: 'open', page: 1, sort_by: 'last_activity_at_desc' });
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

    it('drops parameters it does not know (Chatwoot `q`)', () => {
      const value = valid(validate({ q: 'refund', status: 'all', foo: { bar: 1 } }));
      expect(value).not.toHaveProperty('q');
      expect(value).not.toHaveProperty('foo');
      expect(value.status).toBe('all');
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

    it.each([['LAST_ACTIVITY_AT_DESC'], ['last_activity_at'], ['priority'], ['id_desc'], ['']])('refuses sort_by=%j', (sort_by) => {
      expect(refused(validate({ sort_by }))).toEqual([
        { field: 'sort_by', code: 'isIn', message: `sort_by must be one of: ${SORT_ORDERS.join(', ')}` },
      ]);
    });

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
      [{ q: 'ignored but \u0000' }, 'q'],
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
      ['status', 'open'],
      ['page', 1],
      ['sort_by', 'last_activity_at_desc'],
      ['inbox_id', undefined],
      ['team_id', undefined],
      ['labels', undefined],
    ])('%s: null is refused or means the default', (field, fallback) => {
      const result = validate({ [field]: null });
      if (result.ok) expect((result.value as unknown as Record<string, unknown>)[field]).toEqual(fallback);
      else expect(result.errors.map((e) => e.field)).toEqual([field]);
    });
  });
});
