/** Number formats and the target table shared by the report's sections. */

export const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

export interface Target {
  target: string;
  measured: string;
  met: boolean;
  /** How far from the goal, in the goal's own unit (a ratio, ms, MB). */
  by: string;
}

export const verdict = (met: boolean) => (met ? '**met**' : '**missed**');

export function targetTable(targets: Target[]): string[] {
  if (!targets.length) return ['(not measured in this run)', ''];
  return ['| target | measured | met? | by how much |', '|---|---|---|---|', ...targets.map((t) => `| ${t.target} | ${t.measured} | ${verdict(t.met)} | ${t.by} |`), ''];
}

/** A "measured ≤ goal × reference" target. */
export function atMost(target: string, value: number, goal: number, measured: string): Target {
  const met = value <= goal;
  return { target, measured: `${measured} = ${f(value)} ×`, met, by: met ? `${f(goal - value)} × to spare` : `over by ${f(value - goal)} ×` };
}

/** A "measured ≥ goal × reference" target. */
export function atLeast(target: string, value: number, goal: number, measured: string): Target {
  const met = value >= goal;
  return { target, measured: `${measured} = ${f(value)} ×`, met, by: met ? `${f(value - goal)} × to spare` : `short by ${f(goal - value)} ×` };
}
