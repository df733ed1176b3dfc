import { CreateConversationBody, ListConversationsQuery, validatePayload } from '#app/contracts';

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
