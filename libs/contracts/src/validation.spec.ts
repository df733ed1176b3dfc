import { CreateConversationBody, CreateConversationMessage, ListConversationsQuery, MAX_JSON_DEPTH, validatePayload } from '#app/contracts';

describe('validatePayload', () => {
  it.each([[null], [undefined], ['{}'], [42], [true], [[]], [[{ status: 'open' }]]])('refuses %j as not a JSON object, naming the body', (plain) => {
    expect(validatePayload(ListConversationsQuery, plain)).toEqual({
      ok: false,
      errors: [{ field: 'body', code: 'isObject', message: 'must be a JSON object' }],
    });
    expect(validatePayload(CreateConversationBody, plain)).toEqual({
      ok: false,
      errors: [{ field: 'body', code: 'isObject', message: 'must be a JSON object' }],
    });
  });

  it('reports one error per field, the most basic one', () => {
    // "must be an integer" says more than "must be 1 or more" for a string.
    expect(validatePayload(ListConversationsQuery, { page: 'abc' })).toEqual({
      ok: false,
      errors: [{ field: 'page', code: 'isInt', message: 'page must be an integer' }],
    });
  });

  it('reports the first NUL and nothing else', () => {
    expect(validatePayload(ListConversationsQuery, { status: 'bad', labels: ['\u0000'], page: 'x\u0000' })).toEqual({
      ok: false,
      errors: [{ field: 'labels', code: 'noNulCharacter', message: 'text must not contain the NUL character (\\u0000)' }],
    });
  });

  it('does not change the object it is given', () => {
    const plain = { page: '2', labels: 'vip', extra: 1 };
    const copy = structuredClone(plain);
    validatePayload(ListConversationsQuery, plain);
    expect(plain).toEqual(copy);
  });
});

describe('validatePayload: nesting depth', () => {
  /** `levels` objects nested in one another: nest(1, x) is {"a": x}. */
  const nest = (levels: number, leaf: unknown = 1): unknown => {
    let value = leaf;
    for (let i = 0; i < levels; i++) value = { a: value };
    return value;
  };
  /** `levels` arrays nested in one another, built without recursion (for very deep values). */
  const arrays = (levels: number): unknown => {
    let value: unknown = [];
    for (let i = 1; i < levels; i++) value = [value];
    return value;
  };
  const tooDeep = (field: string) => ({
    ok: false,
    errors: [{ field, code: 'maxDepth', message: `objects and arrays must not be nested more than ${MAX_JSON_DEPTH} levels deep` }],
  });

  it('is 32 levels', () => {
    expect(MAX_JSON_DEPTH).toBe(32);
  });

  it.each([['custom_attributes'], ['additional_attributes']])('accepts %s nested 32 levels deep and refuses 33, naming it', (field) => {
    expect(validatePayload(CreateConversationBody, { source_id: 's', [field]: nest(MAX_JSON_DEPTH) }).ok).toBe(true);
    expect(validatePayload(CreateConversationBody, { source_id: 's', [field]: nest(MAX_JSON_DEPTH - 1, [1]) }).ok).toBe(true);
    expect(validatePayload(CreateConversationBody, { source_id: 's', [field]: nest(MAX_JSON_DEPTH + 1) })).toEqual(tooDeep(field));
    expect(validatePayload(CreateConversationBody, { source_id: 's', [field]: nest(MAX_JSON_DEPTH, [1]) })).toEqual(tooDeep(field));
  });

  it('holds a body to the same limit inside a message (the message and its body are not levels)', () => {
    const message = (attributes: unknown) => ({ api_access_token: 't', account_id: 1, body: { source_id: 's', custom_attributes: attributes } });
    expect(validatePayload(CreateConversationMessage, message(nest(MAX_JSON_DEPTH))).ok).toBe(true);
    expect(validatePayload(CreateConversationMessage, message(nest(MAX_JSON_DEPTH + 1)))).toEqual(tooDeep('body.custom_attributes'));
  });

  it('refuses deep unknown properties too (they would be dropped, but not before being walked)', () => {
    expect(validatePayload(ListConversationsQuery, { q: nest(MAX_JSON_DEPTH + 1) })).toEqual(tooDeep('q'));
    expect(validatePayload(CreateConversationBody, { source_id: 's', extra: arrays(MAX_JSON_DEPTH + 1) })).toEqual(tooDeep('extra'));
  });

  it.each([[1_000], [100_000], [500_000]])('refuses %d nested arrays at once, without overflowing the stack', (levels) => {
    const body = JSON.parse(`{"source_id":"s","custom_attributes":{"x":${'['.repeat(levels)}${']'.repeat(levels)}}}`) as unknown;
    expect(validatePayload(CreateConversationBody, body)).toEqual(tooDeep('custom_attributes'));
    const message = { api_access_token: 't', account_id: 1, body };
    expect(validatePayload(CreateConversationMessage, message)).toEqual(tooDeep('body'));
  });

  it('checks depth before anything else (a deep value with a NUL is refused for its depth)', () => {
    expect(validatePayload(CreateConversationBody, { source_id: '\u0000', custom_attributes: arrays(10_000) })).toEqual(tooDeep('custom_attributes'));
  });

  it('counts arrays and objects alike, and wide values are not deep', () => {
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, [i, { v: i }]]));
    expect(validatePayload(CreateConversationBody, { source_id: 's', custom_attributes: wide }).ok).toBe(true);
  });
});

describe('validatePayload: prototype pollution', () => {
  const bodies = [
    '{"__proto__": {"polluted": "yes"}, "source_id": "s"}',
    '{"source_id": "s", "custom_attributes": {"__proto__": {"polluted": "yes"}}}',
    '{"source_id": "s", "additional_attributes": {"constructor": {"prototype": {"polluted": "yes"}}}}',
    '{"constructor": {"prototype": {"polluted": "yes"}}, "source_id": "s"}',
    '{"source_id": "s", "message": {"__proto__": {"polluted": "yes"}, "content": "hi"}}',
  ];

  it.each([
    ['{"__proto__": {"polluted": "yes"}, "source_id": "s"}', '__proto__'],
    ['{"source_id": "s", "custom_attributes": {"__proto__": {"polluted": "yes"}}}', 'custom_attributes.__proto__'],
    ['{"source_id": "s", "custom_attributes": {"constructor": "x"}}', 'custom_attributes.constructor'],
    ['{"source_id": "s", "additional_attributes": {"a": [{"constructor": {"prototype": {}}}]}}', 'additional_attributes.a.constructor'],
    ['{"constructor": {}, "source_id": "s"}', 'constructor'],
    ['{"source_id": "s", "message": {"__proto__": {}, "content": "hi"}}', 'message.__proto__'],
  ])('refuses %s, naming %s (class-transformer fails on a constructor key in a free-form object)', (text, field) => {
    expect(validatePayload(CreateConversationBody, JSON.parse(text))).toEqual({
      ok: false,
      errors: [{ field, code: 'forbiddenKey', message: 'keys named __proto__ or constructor are not allowed' }],
    });
  });

  it('refuses them inside a message too', () => {
    const message = JSON.parse('{"api_access_token": "t", "account_id": 1, "body": {"source_id": "s", "custom_attributes": {"constructor": 1}}}');
    expect(validatePayload(CreateConversationMessage, message)).toMatchObject({ ok: false, errors: [{ field: 'body.custom_attributes.constructor', code: 'forbiddenKey' }] });
  });

  it('accepts keys that only look alike', () => {
    const result = validatePayload(CreateConversationBody, { source_id: 's', custom_attributes: { prototype: 1, Constructor: 2, proto: 3, __proto: 4 } });
    expect(result.ok && result.value.custom_attributes).toEqual({ prototype: 1, Constructor: 2, proto: 3, __proto: 4 });
  });

  it.each(bodies.map((b) => [b]))('%s pollutes nothing', (text) => {
    const result = validatePayload(CreateConversationBody, JSON.parse(text));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    if (result.ok) {
      expect(result.value).toBeInstanceOf(CreateConversationBody);
      expect((result.value as unknown as Record<string, unknown>).polluted).toBeUndefined();
      for (const attributes of [result.value.custom_attributes, result.value.additional_attributes]) {
        if (attributes !== undefined) expect((attributes as Record<string, unknown>).polluted).toBeUndefined();
      }
    }
  });

  it('takes no field from a __proto__ key', () => {
    expect(validatePayload(CreateConversationBody, JSON.parse('{"__proto__": {"source_id": "s"}}'))).toMatchObject({ ok: false });
    expect(validatePayload(ListConversationsQuery, JSON.parse('{"__proto__": {"status": "bogus", "page": 0}}'))).toMatchObject({ ok: false });
    // An inherited property (not JSON: an object literal's prototype) is no parameter either.
    const inherited = validatePayload(ListConversationsQuery, { __proto__: { status: 'bogus' } } as object);
    expect(inherited.ok && inherited.value.status).toBeUndefined();
  });
});
