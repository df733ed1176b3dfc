/** The report's sections on the shape matrix: each shape against the default list, and the large point against the main one. */
import { atMost, f, int, targetTable, verdict, type Target } from './report-format.js';
import type { ShapeResult, ShapeRun } from './results.js';
import { isBaseline } from './shapes.js';

/** Growth allowed from the main point to the large one, for the default list and the worst shape. */
const LARGE_LIMIT = 1.3;
/** What a 10M seed should take at most. */
const SEED_BUDGET_S = 15 * 60;

/** The median p50 of the default list's measurements. */
function baselineOf(run: ShapeRun): number {
  const p50s = run.results.filter((x) => isBaseline(x.id)).map((x) => x.p50).sort((a, b) => a - b);
  return p50s.length ? p50s[Math.floor((p50s.length - 1) / 2)] : NaN;
}
const ratioOf = (run: ShapeRun, x: ShapeResult) => x.p50 / baselineOf(run);
const measuredShapes = (run: ShapeRun) => run.results.filter((x) => !isBaseline(x.id));
const worstOf = (run: ShapeRun) => measuredShapes(run).reduce<ShapeResult | undefined>((a, b) => (!a || b.p50 > a.p50 ? b : a), undefined);
const checkCell = (x: ShapeResult) =>
  x.check.ok && !x.failures ? 'ok' : `**failed**: ${[...x.check.problems, ...(x.failures ? [`${x.failures} answers not 200 or of another length`] : [])].join('; ').replace(/\|/g, '/')}`;

function shapeTargets(run: ShapeRun): Target[] {
  const base = baselineOf(run);
  if (!Number.isFinite(base)) return [];
  const shapes = measuredShapes(run);
  const missed = shapes.filter((x) => !(ratioOf(run, x) <= x.limit));
  const broken = run.results.filter((x) => !x.check.ok || x.failures);
  return [
    {
      target: `every shape's p50 ≤ 2 × the default list's (≤ 5 × for two or more labels, \`q\`, pages beyond 1,000), ${int(run.conversations)} conversations`,
      measured: `${shapes.length - missed.length} of ${shapes.length} shapes within their limit; default list p50 ${f(base)} ms (median of its ${run.results.filter((x) => isBaseline(x.id)).length} runs)`,
      met: missed.length === 0,
      by: missed.length ? `missed: ${missed.map((x) => `\`${x.id}\` ${f(ratioOf(run, x))} × (limit ${x.limit} ×)`).join(', ')}` : '–',
    },
    {
      target: "every shape's answer checked (status 200, counts = the bench's own COUNT, page size and total_pages from the counts, each conversation matches the filters and the order)",
      measured: `${run.results.length - broken.length} of ${run.results.length} answers right`,
      met: broken.length === 0,
      by: broken.length ? `wrong: ${broken.map((x) => `\`${x.id}\``).join(', ')}` : '–',
    },
  ];
}

function largeTargets(main: ShapeRun | undefined, large: ShapeRun): Target[] {
  const out: Target[] = [];
  const [b1, b2] = [main ? baselineOf(main) : NaN, baselineOf(large)];
  if (Number.isFinite(b1) && Number.isFinite(b2)) {
    out.push(atMost(`default list p50 at ${int(large.conversations)} ≤ ${LARGE_LIMIT} × at ${int(main!.conversations)} conversations`, b2 / b1, LARGE_LIMIT, `${f(b2)} ms / ${f(b1)} ms`));
  }
  const [w1, w2] = [main && worstOf(main), worstOf(large)];
  if (w1 && w2) {
    out.push(atMost(`worst shape p50 at ${int(large.conversations)} ≤ ${LARGE_LIMIT} × the worst at ${int(main!.conversations)}`, w2.p50 / w1.p50, LARGE_LIMIT, `\`${w2.id}\` ${f(w2.p50)} ms / \`${w1.id}\` ${f(w1.p50)} ms`));
  }
  const seed = large.seed;
  if (Number.isFinite(seed.seconds)) {
    out.push({
      target: `seeding ${int(large.conversations)} conversations (\`npm run seed:synthetic\`) takes ≤ 15 minutes`,
      measured: `${f(seed.seconds / 60, 1)} minutes (${seed.reusedNow ? `seeded ${seed.at.slice(0, 16).replace('T', ' ')} UTC, reused in this run` : 'in this run'})`,
      met: seed.seconds <= SEED_BUDGET_S,
      by: seed.seconds <= SEED_BUDGET_S ? `${f((SEED_BUDGET_S - seed.seconds) / 60, 1)} min to spare` : `over by ${f((seed.seconds - SEED_BUDGET_S) / 60, 1)} min`,
    });
  }
  return out;
}

export function shapeTargetLines(main: ShapeRun | undefined, large: ShapeRun | undefined): string[] {
  const lines: string[] = [];
  if (main) lines.push('### Shapes (real path, 1 in flight)', '', ...targetTable(shapeTargets(main)));
  if (large) {
    lines.push(`### The ${int(large.conversations)}-conversation point`, '', ...targetTable([...largeTargets(main, large), ...shapeTargets(large)]));
  }
  return lines;
}

function stamp(run: ShapeRun): string {
  const seed = run.seed.reusedNow ? `reused (seeded ${run.seed.at.slice(0, 16).replace('T', ' ')} UTC in ${f(run.seed.seconds, 1)} s)` : `seeded in this run in ${f(run.seed.seconds, 1)} s`;
  return (
    `\`${run.command}\`, ${run.date.slice(0, 16).replace('T', ' ')} UTC, ${f(run.seconds / 60, 1)} minutes; database \`${run.database}\` (${int(run.conversations)} conversations in the large account), ${seed}. ` +
    `${int(run.freshened)} of its conversations had their updated_at moved into the last 30 days first (the seed's dates are fixed, so \`updated_within\` would otherwise match nothing).`
  );
}

export function shapeSections(main: ShapeRun | undefined, large: ShapeRun | undefined, settings: { shapeRequests: number; shapeWarmup: number; shapeSeconds: number }): string[] {
  if (!main && !large) return [];
  const lines: string[] = [
    '## The shape matrix: every list parameter through the real path, 1 in flight',
    '',
    `Each shape: one request whose answer is checked (status 200; its four counts against a COUNT the bench writes itself, in plain SQL; \`total_pages\` and the page's length from those counts; every conversation on the page against the filters and the order its JSON shows), ${settings.shapeWarmup > 1 ? `${settings.shapeWarmup - 1} more warm-up requests, ` : ''}then ${settings.shapeRequests} measured requests one after the other on one kept-alive connection (fewer when a shape would take over ${settings.shapeSeconds} s, but at least 10 unless those would take over ${3 * settings.shapeSeconds} s; the p99 of 40 requests is their slowest). Administrator token unless the shape says agent (agent 1 sees three inboxes). "× default" is the shape's p50 over the default list's p50 in the same run: the median of the three \`default\` rows (first, halfway, last), whose spread shows how much the machine drifted meanwhile. Ratios under about 1.2 × are within the noise of a shared machine.`,
    '',
  ];
  const table = (run: ShapeRun, other?: ShapeRun) => {
    const otherById = new Map(other?.results.map((x) => [x.id, x]));
    const extra = other ? ` | ${int(other.conversations)}: p50 ms | × (${int(run.conversations)} / ${int(other.conversations)})` : '';
    lines.push(
      `| group | shape | request | n | p50 ms | p99 ms | × default | limit | met? | all_count | on the page | answer${extra} |`,
      `|---|---|---|---|---|---|---|---|---|---|---|---|${other ? '---|---|' : ''}`,
    );
    for (const x of run.results) {
      const ratio = ratioOf(run, x);
      const o = otherById.get(x.id);
      const cells = other ? ` | ${o ? f(o.p50) : '–'} | ${o ? f(x.p50 / o.p50) : '–'}` : '';
      lines.push(
        `| ${x.group} | \`${x.id}\`${x.who === 'agent' ? ' (agent)' : ''} | \`${x.request || '(none)'}\` | ${x.requests} | ${f(x.p50)} | ${f(x.p99)} | ${f(ratio)} | ${x.limit} × | ${isBaseline(x.id) ? '(baseline)' : verdict(ratio <= x.limit)} | ${int(x.check.allCount)} | ${int(x.check.payload)} | ${checkCell(x)}${cells} |`,
      );
    }
    lines.push('');
  };
  if (main) {
    lines.push(`### ${int(main.conversations)} conversations`, '', stamp(main), '');
    table(main);
  }
  if (large) {
    lines.push(`### ${int(large.conversations)} conversations`, '', stamp(large), '');
    table(large, main);
  }
  return lines;
}
