import { ListConversationsQuery, validatePayload } from '#app/contracts';
import Fastify from 'fastify';
import { acceptJsonBodiesOnly, BODY_LIMIT_BYTES, parseQueryString } from './fastify-setup.js';

const labels = (n: number, form: 'brackets' | 'repeated') =>
  Array.from({ length: n }, (_, i) => `${form === 'brackets' ? 'labels[]' : 'labels'}=l${i}`).join('&');

describe('parseQueryString', () => {
  it('reads labels[]=a&labels[]=b as a list', () => {
    expect(parseQueryString('labels[]=a&labels[]=b')).toEqual({ labels: ['a', 'b'] });
  });

  it('reads labels=a&labels=b as a list', () => {
    expect(parseQueryString('labels=a&labels=b')).toEqual({ labels: ['a', 'b'] });
  });

  it('reads labels=a as one string (the DTO makes it a list of one)', () => {
    expect(parseQueryString('labels=a')).toEqual({ labels: 'a' });
    const result = validatePayload(ListConversationsQuery, parseQueryString('labels=a'));
    expect(result.ok && result.value.labels).toEqual(['a']);
  });

  it.each([[21], [25], [100]])('keeps %d labels a list, in order (qs would make an object past 20)', (n) => {
    for (const form of ['brackets', 'repeated'] as const) {
      const parsed = parseQueryString(labels(n, form));
      expect(Array.isArray(parsed.labels)).toBe(true);
      expect(parsed.labels).toEqual(Array.from({ length: n }, (_, i) => `l${i}`));
    }
  });

  it('decodes percent-encoding and +', () => {
    expect(parseQueryString('labels[]=a%20b&labels[]=c+d&status=open')).toEqual({ labels: ['a b', 'c d'], status: 'open' });
  });

  it('leaves every value a string for the DTO to convert', () => {
    expect(parseQueryString('page=2&inbox_id=3&status=all&sort_by=created_at_asc&assignee_type=me')).toEqual({
      page: '2',
      inbox_id: '3',
      status: 'all',
      sort_by: 'created_at_asc',
      assignee_type: 'me',
    });
  });

  it('ignores __proto__ and does not pollute Object.prototype', () => {
    const parsed = parseQueryString('__proto__[polluted]=yes&a[__proto__][polluted]=yes&constructor[prototype][polluted]=yes&__proto__=x&status=open');
    expect(parsed.status).toBe('open');
    expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((parsed as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives an empty object for an empty query string', () => {
    expect(parseQueryString('')).toEqual({});
  });
});

describe('BODY_LIMIT_BYTES', () => {
  it('is 1 MB (SPEC 4.4)', () => {
    expect(BODY_LIMIT_BYTES).toBe(1_048_576);
  });
});

describe('acceptJsonBodiesOnly', () => {
  const app = Fastify();
  acceptJsonBodiesOnly(app);
  app.post('/', async (request) => ({ body: request.body ?? null }));
  let url: string;
  beforeAll(async () => {
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  const post = async (body: string, contentType?: string) => {
    // fetch would label an untyped string body text/plain: a Blob without a type sends no content-type.
    const res = await fetch(url, { method: 'POST', body: contentType === undefined ? new Blob([body]) : body, headers: contentType === undefined ? {} : { 'content-type': contentType } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('parses JSON, with or without a charset', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8']) {
      expect(await post('{"inbox_id":1}', type)).toEqual({ status: 200, json: { body: { inbox_id: 1 } } });
    }
  });

  it.each([
    ['a form-encoded body', 'application/x-www-form-urlencoded', 'inbox_id=1&message[content]=hi'],
    ['a plain-text body', 'text/plain', '{"inbox_id":1}'],
    ['a multipart body', 'multipart/form-data; boundary=x', '--x--'],
    ['an untyped body', undefined, '{"inbox_id":1}'],
  ])('refuses %s as an unsupported media type (the error filter makes it a 400)', async (_name, type, body) => {
    const res = await post(body, type);
    expect([res.status, res.json.code]).toEqual([415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE']);
  });
});
