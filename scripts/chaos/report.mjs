/**
 * The run's result as markdown (printed, and written to dist/chaos-logs/<run>/report.md) so it can be
 * pasted into docs/reliability.md as it is.
 */
import { PATHS } from './load.mjs';
import { tally } from './util.mjs';

const cell = (value) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (...cells) => `| ${cells.map(cell).join(' | ')} |`;
const counts = (values) => [...tally(values)].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v}×${n}`).join(', ') || '–';

/**
 * @param {{ runId: string, plan: any, commit: string, brokerKind: string, brokerFault: string, checks: any[], results: any[], stored: any[],
 *   faults: any, stack: import('./stack.mjs').Stack, memory: any[], seconds: { setup: number, load: number, quiet: number, total: number },
 *   subscriber: any, deadLetterCount: number, stopped: { name: string, code: number | null, signal: string | null }[], stopSeconds: number }} run
 */
export function renderReport(run) {
  const { plan, results, checks, faults, memory, seconds } = run;
  const storedRefs = tally(run.stored.map((r) => r.ref).filter(Boolean));
  const failed = checks.filter((c) => !c.pass).length;
  const lines = [];
  lines.push(`### Chaos run \`${run.runId}\` (${plan.mode}): ${failed ? `**${failed} of ${checks.length} checks FAILED**` : `all ${checks.length} checks passed`}`);
  lines.push('');
  lines.push(`Commit \`${run.commit}\`, ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}. ${plan.creates} creates at most ${plan.concurrency} in flight, paced over ${plan.loadSeconds} s; 2 gateways, 3 workers; broker: ${run.brokerKind}.`);
  lines.push('');
  lines.push(row('check', 'result', 'detail'));
  lines.push(row('---', '---', '---'));
  for (const c of checks) lines.push(row(c.name, c.pass ? 'pass' : '**FAIL**', c.detail));
  lines.push('');

  lines.push(row('path', 'attempted', 'answered 200', 'other answers', 'no answer', 'extra attempts', 'stored once', 'stored 2+ times', 'not stored', 'stored, though not answered 200'));
  lines.push(row('---', '---:', '---:', '---', '---', '---:', '---:', '---:', '---:', '---:'));
  for (const path of PATHS) {
    const mine = results.filter((r) => r.path === path);
    const event = path === 'event';
    const ok = mine.filter((r) => r.status === 200).length;
    const other = mine.filter((r) => r.status !== null && r.status !== 200).map((r) => r.status);
    const none = mine.filter((r) => r.status === null && r.outcome !== 'published').map((r) => r.outcome);
    const extra = mine.reduce((sum, r) => sum + r.attempts - 1, 0);
    lines.push(
      row(
        path,
        mine.length,
        event ? `– (${mine.filter((r) => r.outcome === 'published').length} confirmed)` : ok,
        event ? '–' : counts(other),
        counts(none),
        event ? `${extra} publishes` : path === 'http_keyed' ? `${extra} retries` : 0,
        mine.filter((r) => storedRefs.get(r.ref) === 1).length,
        mine.filter((r) => (storedRefs.get(r.ref) ?? 0) > 1).length,
        mine.filter((r) => !storedRefs.has(r.ref)).length,
        event ? '–' : mine.filter((r) => r.status !== 200 && storedRefs.has(r.ref)).length,
      ),
    );
  }
  // A caller told "no" (or told nothing) whose create happened anyway: only a key makes that safe to retry.
  const storedAnyway = results.filter((r) => r.path !== 'event' && r.status !== 200 && storedRefs.has(r.ref));
  if (storedAnyway.length) {
    const shown = storedAnyway.slice(0, 10).map((r) => `${r.ref} (${r.outcome}, sent at load +${r.startedAt.toFixed(1)} s, answered after ${(r.ms / 1000).toFixed(1)} s)`);
    lines.push('', `Stored though the caller did not get a 200: ${shown.join('; ')}${storedAnyway.length > 10 ? `; … (${storedAnyway.length} in all)` : ''}.`);
  }
  const keyed = results.filter((r) => r.path === 'http_keyed' && r.answers.length > 1);
  if (keyed.length) lines.push('', `Answers seen by keyed HTTP callers before their last one: ${counts(keyed.flatMap((r) => r.answers.slice(0, -1)))}.`);
  lines.push('');

  lines.push(row('fault / figure', 'value'));
  lines.push(row('---', '---'));
  lines.push(row('worker SIGKILLs (each started again at once)', `${faults.kills.length}${faults.kills.length ? ` at load +${faults.kills.map((k) => `${k.t.toFixed(0)}`).join(', ')} s` : ''}`));
  lines.push(row('processes that exited by themselves', run.stack.unexpectedExits.length ? run.stack.unexpectedExits.map((e) => `${e.name} at run ${e.t.toFixed(0)} s`).join(', ') : 0));
  lines.push(row(run.brokerFault, faults.brokerRestart ? `at load +${faults.brokerRestart.at.toFixed(0)} s, unreachable ${(faults.brokerRestart.downMs / 1000).toFixed(1)} s` : 'did not happen'));
  lines.push(row('Postgres cut', faults.pgCut ? `at load +${faults.pgCut.at.toFixed(0)} s for ${faults.pgCut.seconds} s, ${faults.pgCut.dropped} connections dropped` : 'did not happen'));
  lines.push(row('conversation.created deliveries / distinct event_ids', `${run.subscriber.deliveries} / ${run.subscriber.events.size}`));
  lines.push(row('messages in the DLQ', run.deadLetterCount));
  const unclean = run.stopped.filter((s) => s.code !== 0);
  lines.push(row('SIGTERM to every app at the end', `${unclean.length ? `NOT ALL EXITED 0: ${unclean.map((s) => `${s.name} code ${s.code} signal ${s.signal}`).join(', ')}` : 'all exited 0'}, within ${run.stopSeconds.toFixed(1)} s`));
  lines.push(row('duration: setup / load / wait for quiet / total', `${seconds.setup.toFixed(0)} s / ${seconds.load.toFixed(0)} s / ${seconds.quiet.toFixed(0)} s / ${seconds.total.toFixed(0)} s`));
  lines.push('');

  lines.push(row('process (at the end)', 'pid', 'starts', 'RSS MB', 'peak RSS MB (this pid)'));
  lines.push(row('---', '---:', '---:', '---:', '---:'));
  for (const m of memory) lines.push(row(m.name, m.pid ?? '–', m.starts, m.rss === null ? 'not running' : m.rss.toFixed(0), m.peak === null ? '–' : m.peak.toFixed(0)));
  return lines.join('\n');
}
