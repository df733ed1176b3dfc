import { attributeLimitViolations, MAX_ATTRIBUTE_INTEGER, MAX_ATTRIBUTE_STRING_LENGTH } from '#app/domain';

describe('attributeLimitViolations', () => {
  it("has Chatwoot's limits", () => {
    expect(MAX_ATTRIBUTE_STRING_LENGTH).toBe(1500);
    expect(MAX_ATTRIBUTE_INTEGER).toBe(9_999_999_999);
  });

  it('allows a string of 1,500 characters and refuses 1,501', () => {
    expect(attributeLimitViolations({ note: 'x'.repeat(1500) }, 'custom_attributes')).toEqual([]);
    expect(attributeLimitViolations({ note: 'x'.repeat(1501) }, 'custom_attributes')).toEqual(['custom_attributes.note']);
  });

  it('counts characters (UTF-16 code units), not bytes', () => {
    expect(attributeLimitViolations({ note: 'é'.repeat(1500) }, 'custom_attributes')).toEqual([]);
  });

  it('allows 9,999,999,999 and refuses 10,000,000,000', () => {
    expect(attributeLimitViolations({ n: 9_999_999_999 }, 'additional_attributes')).toEqual([]);
    expect(attributeLimitViolations({ n: 10_000_000_000 }, 'additional_attributes')).toEqual(['additional_attributes.n']);
  });

  it('holds only integers to the integer limit', () => {
    expect(attributeLimitViolations({ f: 10_000_000_000.5, s: '10000000000', b: true, z: null }, 'a')).toEqual([]);
  });

  it('holds nested objects and lists to the same limits, naming each path', () => {
    const attributes = {
      ok: 'short',
      long: 's'.repeat(1501),
      big: 10_000_000_000,
      small: 9_999_999_999,
      nested: { deeper: { text: 't'.repeat(2000), fine: 1 } },
      list: [1, 'l'.repeat(1501), { n: 20_000_000_000 }],
    };
    expect(attributeLimitViolations(attributes, 'custom_attributes')).toEqual([
      'custom_attributes.long',
      'custom_attributes.big',
      'custom_attributes.nested.deeper.text',
      'custom_attributes.list[1]',
      'custom_attributes.list[2].n',
    ]);
  });

  it('finds nothing in an empty or missing object', () => {
    expect(attributeLimitViolations({}, 'custom_attributes')).toEqual([]);
    expect(attributeLimitViolations(undefined, 'custom_attributes')).toEqual([]);
    expect(attributeLimitViolations(null, 'custom_attributes')).toEqual([]);
  });

  it('checks a bare value under the given path', () => {
    expect(attributeLimitViolations('x'.repeat(1501), 'custom_attributes')).toEqual(['custom_attributes']);
  });
});
