/** The message patterns of SPEC 5: one name per request kind, shared by every publisher and the worker. */
export const Patterns = {
  list: 'conversations.list',
  meta: 'conversations.meta',
  create: 'conversations.create',
} as const;

export type Pattern = (typeof Patterns)[keyof typeof Patterns];

export const ALL_PATTERNS: readonly string[] = Object.values(Patterns);

/** The patterns a message without reply_to (an event) may carry: only a create has an effect nobody needs to read. */
export const EVENT_PATTERNS: readonly string[] = [Patterns.create];
