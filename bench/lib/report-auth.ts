/** The report's section on authentication before and after a burst of creates. */
import { f, int, targetTable, type Target } from './report-format.js';
import type { AuthAfterCreates } from './results.js';
import type { Summary } from './stats.js';

/** "Equal within noise": at most 10 % slower, or 0.05 ms, whichever is more. */
const NOISE_SHARE = 0.1;
const NOISE_MS = 0.05;

function equalWithinNoise(what: string, before: Summary, after: Summary, creates: number): Target {
  const allowed = Math.max(before.p50 * NOISE_SHARE, NOISE_MS);
  const slower = after.p50 - before.p50;
  const met = slower <= allowed;
  return {
    target: `${what} p50 after ${int(creates)} creates = before, within noise (≤ +${NOISE_SHARE * 100} % or +${NOISE_MS} ms)`,
    measured: `${f(before.p50, 3)} → ${f(after.p50, 3)} ms = ${f(after.p50 / before.p50)} ×`,
    met,
    by: met ? `${f(allowed - slower, 3)} ms to spare` : `slower by ${f(slower, 3)} ms (${f(after.p50 / before.p50)} ×)`,
  };
}

function authTargets(a: AuthAfterCreates): Target[] {
  const [before, after] = [a.phases.find((p) => p.phase === 'before'), a.phases.find((p) => p.phase === 'after')];
  if (!before || !after) return [];
  return [
    equalWithinNoise('authenticate statement (raw SQL replay, 1 in flight)', before.authenticate, after.authenticate, a.creates),
    equalWithinNoise('meta endpoint (real path, 1 in flight)', before.meta, after.meta, a.creates),
  ];
}

export function authTargetLines(a: AuthAfterCreates | undefined): string[] {
  return a ? ['### Authentication after creates', '', ...targetTable(authTargets(a))] : [];
}

export function authSection(a: AuthAfterCreates | undefined): string[] {
  if (!a) return [];
  const dead = (rows: Record<string, number>) => Object.entries(rows).map(([t, n]) => `${t} ${int(n)}`).join(', ') || 'none';
  return [
    '## Authentication before and after a burst of creates',
    '',
    `The authenticate statement (replayed alone by a bare pg pool) and the meta endpoint (authenticate + counts, through the real path), each at 1 in flight, right before and right after ${int(a.creates)} creates through the real path at 64 in flight (${f(a.createSeconds, 1)} s, ${a.createErrors} errors), all in one inbox of the large account. Dead row versions from Postgres' statistics at that moment.`,
    '',
    '| when | authenticate p50 ms | p99 ms | meta p50 ms | p99 ms | dead row versions (most first) |',
    '|---|---|---|---|---|---|',
    ...a.phases.map((p) => `| ${p.phase} the creates | ${f(p.authenticate.p50, 3)} | ${f(p.authenticate.p99, 3)} | ${f(p.meta.p50)} | ${f(p.meta.p99)} | ${dead(p.deadRows)} |`),
    '',
  ];
}
