/**
 * The verdict: what Postgres, the subscriber and the dead-letter queue hold after quiet, against what
 * the callers were told. Each check is { name, pass, detail }; any failure makes the run exit 1.
 */
import { tally } from './util.mjs';

const EXAMPLES = 5;
const examples = (items) => (items.length > EXAMPLES ? `${items.slice(0, EXAMPLES).join(', ')}, … (${items.length} in all)` : items.join(', '));
const byPath = (results) => [...tally(results.map((r) => r.path))].map(([path, n]) => `${path} ${n}`).join(', ');

/**
 * @param {{ results: import('./load.mjs').CreateResult[], stored: { ref: string | null, display_id: number, uuid: string }[],
 *   subscriber: import('./subscriber.mjs').EventSubscriber, deadLetters: { messageId?: string, reason: string, ref: string | null }[],
 *   poison: ReturnType<typeof import('./poison.mjs').poisonMessages>, unexpectedExits: object[], quiet: { reached: boolean, seconds: number, last: object } }} state
 */
export function runChecks({ results, stored, subscriber, deadLetters, poison, unexpectedExits, quiet }) {
  const rowsByRef = new Map();
  for (const row of stored) if (row.ref) rowsByRef.set(row.ref, [...(rowsByRef.get(row.ref) ?? []), row]);
  const countOf = (ref) => rowsByRef.get(ref)?.length ?? 0;
  const dlqRefs = new Set(deadLetters.map((m) => m.ref).filter(Boolean));
  const checks = [];

  // 1. A 200 is a promise: the conversation answered is stored, once.
  const answered = results.filter((r) => r.status === 200);
  const answeredMissing = answered.filter((r) => countOf(r.ref) === 0);
  const answeredTwice = answered.filter((r) => countOf(r.ref) > 1);
  const answeredOther = answered.filter((r) => countOf(r.ref) === 1 && rowsByRef.get(r.ref)[0].display_id !== r.displayId);
  checks.push({
    name: 'every create answered 200 (HTTP or RPC) exists exactly once',
    pass: answeredMissing.length + answeredTwice.length + answeredOther.length === 0,
    detail: [
      `${answered.length} answered 200 (${byPath(answered)})`,
      answeredMissing.length && `MISSING ${answeredMissing.length} (${byPath(answeredMissing)}): ${examples(answeredMissing.map((r) => r.ref))}`,
      answeredTwice.length && `STORED TWICE OR MORE ${answeredTwice.length} (${byPath(answeredTwice)}): ${examples(answeredTwice.map((r) => `${r.ref}×${countOf(r.ref)}`))}`,
      answeredOther.length && `ANSWERED ANOTHER display id than stored ${answeredOther.length}: ${examples(answeredOther.map((r) => r.ref))}`,
    ].filter(Boolean).join('; '),
  });

  // 2. An event confirmed by the broker must be applied, once.
  const events = results.filter((r) => r.path === 'event');
  const confirmed = events.filter((r) => r.outcome === 'published');
  const eventsMissing = confirmed.filter((r) => countOf(r.ref) === 0);
  const eventsTwice = confirmed.filter((r) => countOf(r.ref) > 1);
  const missingInDlq = eventsMissing.filter((r) => dlqRefs.has(r.ref));
  checks.push({
    name: 'every event create exists exactly once',
    pass: eventsMissing.length + eventsTwice.length === 0 && confirmed.length === events.length,
    detail: [
      `${confirmed.length} of ${events.length} events confirmed by the broker`,
      eventsMissing.length && `MISSING ${eventsMissing.length} (${missingInDlq.length} of them in the DLQ): ${examples(eventsMissing.map((r) => r.ref))}`,
      eventsTwice.length && `STORED TWICE OR MORE ${eventsTwice.length}: ${examples(eventsTwice.map((r) => `${r.ref}×${countOf(r.ref)}`))}`,
      !eventsMissing.length && !eventsTwice.length && 'all stored once',
    ].filter(Boolean).join('; '),
  });

  // 3. Whatever a caller was told (200, 5xx, nothing), one request never makes two conversations.
  const twice = results.filter((r) => countOf(r.ref) > 1);
  const unkeyed = results.filter((r) => r.path === 'http_unkeyed' || r.path === 'rpc');
  const unkeyedTwice = twice.filter((r) => r.path === 'http_unkeyed' || r.path === 'rpc');
  checks.push({
    name: 'no un-keyed create exists twice (count per chaos_ref ≤ 1, every path)',
    pass: twice.length === 0,
    detail: twice.length
      ? `${unkeyedTwice.length} of ${unkeyed.length} un-keyed creates stored more than once (${byPath(unkeyedTwice) || 'none'}); all paths: ${byPath(twice)}; answers they got: ${[...tally(twice.map((r) => r.outcome))].map(([o, n]) => `${o}×${n}`).join(', ')}; e.g. ${examples(twice.map((r) => `${r.ref}×${countOf(r.ref)}`))}`
      : `${results.length} creates, none stored twice (un-keyed: ${unkeyed.length})`,
  });

  // 4. Each conversation is announced by exactly one event (redeliveries of it allowed).
  const idsByUuid = subscriber.eventIdsByUuid();
  const silent = stored.filter((row) => !idsByUuid.has(row.uuid));
  const announcedTwice = stored.filter((row) => (idsByUuid.get(row.uuid)?.length ?? 0) > 1);
  const storedUuids = new Set(stored.map((row) => row.uuid));
  const phantoms = [...idsByUuid.keys()].filter((uuid) => !storedUuids.has(uuid));
  const repeats = [...subscriber.events.values()].reduce((sum, e) => sum + e.count - 1, 0);
  checks.push({
    name: 'every conversation created has one conversation.created at the subscriber',
    pass: silent.length + announcedTwice.length + phantoms.length === 0,
    detail: [
      `${stored.length} conversations created, ${subscriber.events.size} distinct event_ids received (${subscriber.deliveries} deliveries, ${repeats} repeats of an event_id already seen)`,
      silent.length && `NO EVENT for ${silent.length}: ${examples(silent.map((r) => r.ref ?? r.uuid))}`,
      announcedTwice.length && `SEVERAL event_ids for ${announcedTwice.length}: ${examples(announcedTwice.map((r) => r.ref ?? r.uuid))}`,
      phantoms.length && `EVENTS FOR ${phantoms.length} conversations that do not exist: ${examples(phantoms)}`,
    ].filter(Boolean).join('; '),
  });

  // 5. The DLQ holds the poison, each once, with its reason, and nothing else.
  const poisonFound = poison.map((p) => {
    const copies = deadLetters.filter((m) => m.messageId === p.messageId);
    return { ...p, copies, reasonOk: copies.length === 1 && p.reason.test(copies[0].reason) };
  });
  const poisonIds = new Set(poison.map((p) => p.messageId));
  const others = deadLetters.filter((m) => !poisonIds.has(m.messageId));
  checks.push({
    name: 'the DLQ holds only the poison messages, each once with its x-error-reason',
    pass: others.length === 0 && poisonFound.every((p) => p.reasonOk),
    detail: [
      `${deadLetters.length} messages in the DLQ`,
      ...poisonFound.map((p) => `${p.messageId.replace(/^poison-[^-]+-/, 'poison ')}: ${p.copies.length === 0 ? 'ABSENT' : `${p.copies.length}× "${p.copies[0].reason}"${p.reasonOk ? '' : ' (UNEXPECTED)'}`}`),
      others.length && `${others.length} OTHER: ${[...tally(others.map((m) => m.reason))].map(([reason, n]) => `"${reason}"×${n}`).join(', ')}`,
    ].filter(Boolean).join('; '),
  });
  const refsInDlq = deadLetters.filter((m) => m.ref);
  checks.push({
    name: 'no chaos_ref in the DLQ',
    pass: refsInDlq.length === 0,
    detail: refsInDlq.length
      ? `${refsInDlq.length} creates dead-lettered (${byPath(refsInDlq.map((m) => ({ path: m.ref.split('-')[1] })))}), of which ${refsInDlq.filter((m) => countOf(m.ref) > 0).length} exist anyway: ${examples(refsInDlq.map((m) => m.ref))}`
      : 'none',
  });

  checks.push({
    name: 'quiet reached: outbox drained, work, retry and subscriber queues empty',
    pass: quiet.reached,
    detail: quiet.reached ? `after ${quiet.seconds.toFixed(1)} s` : `NOT within ${quiet.seconds.toFixed(0)} s; left: ${JSON.stringify(quiet.last)}`,
  });

  checks.push({
    name: 'no process exited unless killed',
    pass: unexpectedExits.length === 0,
    detail: unexpectedExits.length
      ? `${unexpectedExits.length} exits: ${[...tally(unexpectedExits.map((e) => `${e.name.replace(/-\d+$/, '')} code ${e.code}: ${e.lastLog}`))].map(([what, n]) => `${what} ×${n}`).join('; ')}; first at ${unexpectedExits[0].t.toFixed(1)} s`
      : 'none',
  });
  return checks;
}
