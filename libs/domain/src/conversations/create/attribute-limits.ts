/** Chatwoot's limits on attribute values (JsonbAttributesLengthValidator). */
export const MAX_ATTRIBUTE_STRING_LENGTH = 1500;
export const MAX_ATTRIBUTE_INTEGER = 9_999_999_999;

/**
 * Paths of the values in `attributes` that break a limit: strings over 1,500 characters, integers
 * over 9,999,999,999. Nested values are held to the same limits.
 */
export function attributeLimitViolations(attributes: unknown, path: string): string[] {
  if (typeof attributes === 'string') return attributes.length > MAX_ATTRIBUTE_STRING_LENGTH ? [path] : [];
  if (typeof attributes === 'number') return Number.isInteger(attributes) && attributes > MAX_ATTRIBUTE_INTEGER ? [path] : [];
  if (Array.isArray(attributes)) return attributes.flatMap((value, i) => attributeLimitViolations(value, `${path}[${i}]`));
  if (attributes !== null && typeof attributes === 'object') {
    return Object.entries(attributes).flatMap(([key, value]) => attributeLimitViolations(value, `${path}.${key}`));
  }
  return [];
}
