import { createHash } from 'node:crypto';
import { canonicalJson, requestDigest } from '#app/domain';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('canonicalJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe('{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}');
  });

  it('drops undefined properties, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('writes scalars as JSON', () => {
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('gives the same text for the same body in any key order', () => {
    const one = { inbox_id: 1, contact_id: 2, message: { content: 'hi' }, custom_attributes: { a: 1, b: [1, 2] } };
    const two = { custom_attributes: { b: [1, 2], a: 1 }, message: { content: 'hi' }, contact_id: 2, inbox_id: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });
});

describe('requestDigest', () => {
  it('is the SHA-256 (hex) of the canonical JSON', () => {
    expect(requestDigest({ b: 2, a: 1 })).toBe(sha256('{"a":1,"b":2}'));
    expect(requestDigest({ b: 2, a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    expect(requestDigest({ source_id: 's', status: 'open', message: { content: 'x' } })).toBe(
      requestDigest({ message: { content: 'x' }, status: 'open', source_id: 's' }),
    );
  });

  it('depends on every value', () => {
    const base = { inbox_id: 1, contact_id: 2, custom_attributes: { tags: ['a', 'b'] } };
    const digest = requestDigest(base);
    expect(requestDigest({ ...base, inbox_id: 2 })).not.toBe(digest);
    expect(requestDigest({ ...base, inbox_id: '1' })).not.toBe(digest);
    expect(requestDigest({ ...base, custom_attributes: { tags: ['b', 'a'] } })).not.toBe(digest);
    expect(requestDigest({ ...base, custom_attributes: { tags: ['a', 'b'], more: null } })).not.toBe(digest);
    expect(requestDigest({ ...base, status: 'open' })).not.toBe(digest);
  });
});
