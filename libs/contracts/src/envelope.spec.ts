import { parseRequestEnvelope } from '#app/contracts';

const parse = (text: string) => parseRequestEnvelope(Buffer.from(text, 'utf8'));

describe('parseRequestEnvelope', () => {
  it('reads a Nest RMQ request', () => {
    expect(parse('{"pattern":"conversations.list","data":{"account_id":1},"id":"6f1c"}')).toEqual({
      ok: true,
      pattern: 'conversations.list',
      data: { account_id: 1 },
      id: '6f1c',
    });
  });

  it('reads an event (no id)', () => {
    const parsed = parse('{"pattern":"conversations.create","data":{"body":{}}}');
    expect(parsed).toEqual({ ok: true, pattern: 'conversations.create', data: { body: {} } });
    expect(parsed.id).toBeUndefined();
  });

  it('turns a numeric id into a string and ignores other id types', () => {
    expect(parse('{"pattern":"p","data":null,"id":42}')).toEqual({ ok: true, pattern: 'p', data: null, id: '42' });
    expect(parse('{"pattern":"p","data":1,"id":{"x":1}}').id).toBeUndefined();
    expect(parse('{"pattern":"p","data":1,"id":true}').id).toBeUndefined();
  });

  it('keeps data as it is, even when missing', () => {
    expect(parse('{"pattern":"p"}')).toEqual({ ok: true, pattern: 'p', data: undefined });
    expect(parse('{"pattern":"p","data":[1,"a"]}')).toEqual({ ok: true, pattern: 'p', data: [1, 'a'] });
  });

  it.each([[''], ['not json'], ['{"pattern":'], ['{pattern: "p"}'], ['\u0000']])('refuses %j as not JSON', (text) => {
    expect(parse(text)).toEqual({ ok: false, reason: 'body is not JSON' });
  });

  it.each([['null'], ['[]'], ['[{"pattern":"p"}]'], ['"conversations.list"'], ['42'], ['true']])('refuses %s as not an object', (text) => {
    expect(parse(text)).toEqual({ ok: false, reason: 'body is not a JSON object' });
  });

  it.each([['{"data":{}}'], ['{"pattern":"","data":{}}'], ['{"pattern":5,"data":{}}'], ['{"pattern":null}'], ['{"pattern":["a"]}']])(
    'refuses %s as having no pattern',
    (text) => {
      expect(parse(text)).toEqual({ ok: false, reason: 'no pattern' });
    },
  );

  it('keeps the id of a message without a pattern, so an RPC caller can still get a reply', () => {
    expect(parse('{"id":"abc","data":{}}')).toEqual({ ok: false, reason: 'no pattern', id: 'abc' });
    expect(parse('{"id":7,"pattern":""}')).toEqual({ ok: false, reason: 'no pattern', id: '7' });
  });

  it('reads UTF-8', () => {
    expect(parse('{"pattern":"p","data":{"name":"Zoë 🙂"}}')).toEqual({ ok: true, pattern: 'p', data: { name: 'Zoë 🙂' } });
  });
});
