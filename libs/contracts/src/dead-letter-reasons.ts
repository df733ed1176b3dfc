/**
 * The `x-error-reason` header of a dead letter: status first, then why, e.g.
 * `400 body is not JSON` or `401 Invalid Access Token`. The status is the one the same request gets
 * over HTTP, so an operator can sort the dead-letter queue on its first three characters. The worker
 * builds every reason here, and the AsyncAPI document lists them from DEAD_LETTER_REASONS.
 */
import { Patterns } from './patterns.js';

/** Longer reasons are cut: a header is no place for a whole validation report. */
export const MAX_REASON_LENGTH = 1000;

export function deadLetterReason(status: number, why: string): string {
  return `${status} ${why}`.slice(0, MAX_REASON_LENGTH);
}

/** Why a message is no request the worker can run at all; each one is a 400. */
export const MessageFaults = {
  notJson: 'body is not JSON',
  notObject: 'body is not a JSON object',
  noPattern: 'no pattern',
  unknownPattern: (pattern: string) => `unknown pattern "${pattern.slice(0, 100)}"`,
  /** reply_to is set, but the message lacks what an RPC request needs besides. */
  incompleteRpc: (missing: readonly RpcPart[]) => `incomplete RPC request: no ${missing.join(', no ')}`,
  /** A pattern whose only effect is its reply (list, meta), sent without reply_to. */
  notAnEvent: (pattern: string) => `${pattern} is answered only as an RPC request: set reply_to, correlation_id and an id`,
} as const;

/** What an RPC request carries besides reply_to, as MessageFaults.incompleteRpc names it. */
export type RpcPart = 'correlation_id property' | 'id in the body';

/** Every reason a dead letter can carry and when, for the AsyncAPI document. */
export const DEAD_LETTER_REASONS: readonly { reason: string; when: string }[] = [
  { reason: deadLetterReason(400, MessageFaults.notJson), when: 'the body does not parse as JSON' },
  { reason: deadLetterReason(400, MessageFaults.notObject), when: 'the body is JSON but not an object' },
  { reason: deadLetterReason(400, MessageFaults.noPattern), when: 'the envelope has no pattern (or an empty one)' },
  { reason: deadLetterReason(400, MessageFaults.unknownPattern('<pattern>')), when: 'the pattern is none of the service\'s' },
  {
    reason: deadLetterReason(400, MessageFaults.incompleteRpc(['correlation_id property', 'id in the body'])),
    when: 'reply_to is set but the correlation_id property, the envelope id or both are missing (the reason names what is missing)',
  },
  { reason: deadLetterReason(400, MessageFaults.notAnEvent(Patterns.list)), when: `${Patterns.list} or ${Patterns.meta} without reply_to: nobody could read the answer` },
  { reason: '400 <description> (<field>: <message>; ...)', when: 'data fails validation, field by field as an HTTP 400 names them' },
  { reason: '401 <error>', when: 'no or an unknown api_access_token' },
  { reason: '403 <error>', when: 'the token may not do this in this account' },
  { reason: '404 <error>', when: 'the account, or an inbox, contact, team or source_id of the create, does not exist' },
  { reason: '422 <message>', when: 'a rule is broken (as an HTTP 422)' },
  { reason: '500 <error>', when: 'a fault of the service itself; the message is kept so that it can be replayed' },
];
