import qs from 'qs';

/** SPEC 4.4: a body over 1 MB is refused. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Query strings the way Chatwoot clients write them: `labels[]=a&labels[]=b`, `labels=a&labels=b` and
 * `labels=a` all give a list. qs caps arrays at 20 items by default (then builds an object): raised.
 */
export function parseQueryString(query: string): Record<string, unknown> {
  return qs.parse(query, { arrayLimit: 100, parameterLimit: 1000, depth: 2, allowPrototypes: false });
}
