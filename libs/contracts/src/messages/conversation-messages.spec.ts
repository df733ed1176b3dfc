import {
  CreateConversationBody,
  CreateConversationMessage,
  ListConversationsMessage,
  ListConversationsQuery,
  validatePayload,
  type FieldError,
  type Validated,
} from '#app/contracts';

function valid<T>(result: Validated<T>): T {
  if (!result.ok) throw new Error(`expected a valid message, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

function refused<T>(result: Validated<T>): FieldError[] {
  if (result.ok) throw new Error(`expected errors, got the value ${JSON.stringify(result.value)}`);
  return result.errors;
}

const fields = (errors: FieldError[]) => errors.map((e) => [e.field, e.code]);

describe('ListConversationsMessage (conversations.list / conversations.meta)', () => {
  const list = (plain: unknown) => validatePayload(ListConversationsMessage, plain);

  it('defaults the query when it is absent', () => {
    const value = valid(list({ api_access_token: 'tok', account_id: 1 }));
    expect(value).toBeInstanceOf(ListConversationsMessage);
    expect(value.api_access_token).toBe('tok');
    expect(value.account_id).toBe(1);
    expect(value.query).toBeInstanceOf(ListConversationsQuery);
    expect({ ...value.query }).toEqual({ assignee_type: 'all', page: 1, sort_by: 'last_activity_at_desc' });
  });

  it('validates and converts the nested query', () => {
    const value = valid(list({ api_access_token: 'tok', account_id: 2, query: { status: 'all', page: '3', labels: 'vip', inbox_id: '4' } }));
    expect(value.query).toBeInstanceOf(ListConversationsQuery);
    expect(value.query).toMatchObject({ status: 'all', page: 3, labels: ['vip'], inbox_id: 4, assignee_type: 'all' });
  });

  it('names nested fields with their path', () => {
    expect(refused(list({ api_access_token: 'tok', account_id: 1, query: { status: 'OPEN', page: 0, labels: [1] } }))).toEqual([
      { field: 'query.status', code: 'isIn', message: 'status must be one of: open, resolved, pending, snoozed, all' },
      { field: 'query.page', code: 'min', message: 'page must be 1 or more' },
      { field: 'query.labels', code: 'isString', message: 'labels must be a list of strings' },
    ]);
  });

  it('names a NUL inside the query with its path', () => {
    expect(refused(list({ api_access_token: 'tok', account_id: 1, query: { labels: ['a', '\u0000'] } }))).toEqual([
      { field: 'query.labels', code: 'noNulCharacter', message: 'text must not contain the NUL character (\\u0000)' },
    ]);
  });

  it('refuses a query that is not an object', () => {
    expect(fields(refused(list({ api_access_token: 'tok', account_id: 1, query: 'status=open' })))).toContainEqual(['query', 'isObject']);
    expect(refused(list({ api_access_token: 'tok', account_id: 1, query: 'status=open' }))[0]).toEqual({
      field: 'query',
      code: 'isObject',
      message: 'query must be an object',
    });
  });

  it('null query is refused or means the default query', () => {
    const result = list({ api_access_token: 'tok', account_id: 1, query: null });
    if (result.ok) expect({ ...result.value.query }).toEqual({ assignee_type: 'all', page: 1, sort_by: 'last_activity_at_desc' });
    else expect(result.errors.map((e) => e.field)).toEqual(['query']);
  });

  it('requires a token', () => {
    expect(refused(list({ account_id: 1 }))).toEqual([{ field: 'api_access_token', code: 'isString', message: 'api_access_token must be a string' }]);
    expect(refused(list({ api_access_token: '', account_id: 1 }))).toEqual([
      { field: 'api_access_token', code: 'isNotEmpty', message: 'api_access_token must not be empty' },
    ]);
    expect(refused(list({ api_access_token: 5, account_id: 1 }))).toEqual([
      { field: 'api_access_token', code: 'isString', message: 'api_access_token must be a string' },
    ]);
    // Any length: a token that is no token is a 401 from the worker, not a malformed request.
    expect(valid(list({ api_access_token: 't'.repeat(5000), account_id: 1 })).api_access_token).toHaveLength(5000);
  });

  it('requires account_id as a positive safe integer (a JSON number, not a string)', () => {
    expect(refused(list({ api_access_token: 't' }))).toEqual([{ field: 'account_id', code: 'isInt', message: 'account_id must be an integer' }]);
    expect(refused(list({ api_access_token: 't', account_id: '1' }))).toEqual([
      { field: 'account_id', code: 'isInt', message: 'account_id must be an integer' },
    ]);
    expect(refused(list({ api_access_token: 't', account_id: 1.5 }))).toEqual([
      { field: 'account_id', code: 'isInt', message: 'account_id must be an integer' },
    ]);
    expect(refused(list({ api_access_token: 't', account_id: 0 }))).toEqual([
      { field: 'account_id', code: 'min', message: 'account_id must be 1 or more' },
    ]);
    expect(refused(list({ api_access_token: 't', account_id: 99999999999999999999 }))).toEqual([
      { field: 'account_id', code: 'max', message: 'account_id is out of range' },
    ]);
  });

  it('drops unknown fields', () => {
    const value = valid(list({ api_access_token: 't', account_id: 1, extra: true, query: { q: 'refund', foo: 'x' } }));
    expect(value).not.toHaveProperty('extra');
    expect(value.query).not.toHaveProperty('foo');
    expect(value.query.q).toBe('refund'); // the list parameters travel whole
  });

  it('refuses data that is not an object', () => {
    for (const data of [null, undefined, 'x', 5, []]) {
      expect(refused(list(data))).toEqual([{ field: 'body', code: 'isObject', message: 'must be a JSON object' }]);
    }
  });
});

describe('CreateConversationMessage (conversations.create)', () => {
  const create = (plain: unknown) => validatePayload(CreateConversationMessage, plain);

  it('accepts a token, an account and a body', () => {
    const value = valid(create({ api_access_token: 'tok', account_id: 1, idempotency_key: 'k-1', body: { inbox_id: '1', contact_id: 2 } }));
    expect(value).toBeInstanceOf(CreateConversationMessage);
    expect(value.idempotency_key).toBe('k-1');
    expect(value.body).toBeInstanceOf(CreateConversationBody);
    expect(value.body.inbox_id).toBe(1);
    expect(value.body.contact_id).toBe(2);
  });

  it('requires the body', () => {
    expect(refused(create({ api_access_token: 'tok', account_id: 1 }))).toEqual([{ field: 'body', code: 'isDefined', message: 'body is required' }]);
    expect(refused(create({ api_access_token: 'tok', account_id: 1, body: [] }))[0]).toEqual({
      field: 'body',
      code: 'isObject',
      message: 'body must be an object',
    });
  });

  it('names nested body fields with their path', () => {
    expect(refused(create({ api_access_token: 'tok', account_id: 1, body: {} }))).toEqual([
      { field: 'body.inbox_id', code: 'isDefined', message: 'inbox_id is required when source_id is not given' },
      { field: 'body.contact_id', code: 'isDefined', message: 'contact_id is required when source_id is not given' },
    ]);
    expect(refused(create({ api_access_token: 'tok', account_id: 1, body: { source_id: 's', status: 'all', message: { content: 7 } } }))).toEqual([
      { field: 'body.status', code: 'isIn', message: 'status must be one of: open, resolved, pending, snoozed' },
      { field: 'body.message.content', code: 'isString', message: 'message.content must be a string' },
    ]);
  });

  it('names a NUL deep in the body with its path', () => {
    expect(refused(create({ api_access_token: 'tok', account_id: 1, body: { source_id: 's', custom_attributes: { a: { b: 'x\u0000' } } } }))).toEqual([
      { field: 'body.custom_attributes.a.b', code: 'noNulCharacter', message: 'text must not contain the NUL character (\\u0000)' },
    ]);
  });

  it('checks the idempotency key', () => {
    expect(refused(create({ api_access_token: 't', account_id: 1, idempotency_key: '', body: { source_id: 's' } }))).toEqual([
      { field: 'idempotency_key', code: 'isNotEmpty', message: 'idempotency_key must not be empty' },
    ]);
    expect(refused(create({ api_access_token: 't', account_id: 1, idempotency_key: 7, body: { source_id: 's' } }))).toEqual([
      { field: 'idempotency_key', code: 'isString', message: 'idempotency_key must be a string' },
    ]);
    expect(fields(refused(create({ api_access_token: 't', account_id: 1, idempotency_key: 'k'.repeat(256), body: { source_id: 's' } })))).toEqual([
      ['idempotency_key', 'maxLength'],
    ]);
    expect(valid(create({ api_access_token: 't', account_id: 1, idempotency_key: 'k'.repeat(255), body: { source_id: 's' } })).idempotency_key).toHaveLength(255);
    expect(valid(create({ api_access_token: 't', account_id: 1, body: { source_id: 's' } })).idempotency_key).toBeUndefined();
  });

  it('drops unknown fields, at the top and in the body', () => {
    const value = valid(create({ api_access_token: 't', account_id: 1, pattern: 'x', body: { source_id: 's', foo: 1 } }));
    expect(value).not.toHaveProperty('pattern');
    expect(value.body).not.toHaveProperty('foo');
  });
});
