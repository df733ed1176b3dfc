import type { Role } from '#app/contracts';

/** Who is calling, once the token and the account have been checked. */
export type Caller =
  | { kind: 'user'; userId: number; accountId: number; role: Role }
  | { kind: 'bot'; botId: number; accountId: number };

export const isAdministrator = (caller: Caller) => caller.kind === 'user' && caller.role === 'administrator';
/** Agents are limited to the inboxes they are members of; administrators and bots are not. */
export const inboxScopedUserId = (caller: Caller): number | null =>
  caller.kind === 'user' && caller.role === 'agent' ? caller.userId : null;
