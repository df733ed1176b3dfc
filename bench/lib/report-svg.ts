/** docs/benchmarks.svg: req/s of each path at each concurrency, one panel per case. */
import { find, PATHS, SHORT } from './report-paths.js';
import { int } from './report-format.js';
import type { BenchResults, PathName } from './results.js';

const COLORS: Record<PathName, string> = { real: '#2563eb', inproc: '#f59e0b', frameworkless: '#8b5cf6', raw: '#10b981' };

/** Hand-made SVG: one panel per case, bars of req/s for each path at each concurrency. */
export function svg(r: BenchResults): string {
  const cases = Object.keys(r.cases);
  const paths = PATHS;
  const panelW = 300;
  const panelH = 260;
  const top = 80;
  const left = 20;
  const width = left + cases.length * panelW + 20;
  const height = top + panelH + 80;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">req/s by requests in flight: ${int(r.settings.conversations)}-conversation account, ${r.machine.cpus.split(' ')[0]} cores</text>`,
  ];
  paths.forEach((p, i) => {
    const x = left + i * 200;
    out.push(`<rect x="${x}" y="34" width="12" height="12" fill="${COLORS[p]}"/><text x="${x + 16}" y="44">${SHORT[p]}</text>`);
  });
  cases.forEach((c, ci) => {
    const x0 = left + ci * panelW + 40;
    const values = r.measurements.filter((m) => m.case === c).map((m) => m.summary.rps);
    const max = Math.max(1, ...values) * 1.15;
    const plotW = panelW - 60;
    const baseY = top + panelH;
    out.push(`<text x="${x0}" y="${top - 4}" font-weight="bold">${c}</text>`);
    out.push(`<line x1="${x0}" y1="${baseY}" x2="${x0 + plotW}" y2="${baseY}" stroke="#333"/>`);
    out.push(`<line x1="${x0}" y1="${top + 10}" x2="${x0}" y2="${baseY}" stroke="#333"/>`);
    for (let t = 0; t <= 4; t++) {
      const v = (max / 4) * t;
      const y = baseY - ((panelH - 10) * t) / 4;
      out.push(`<line x1="${x0 - 3}" y1="${y}" x2="${x0 + plotW}" y2="${y}" stroke="#eee"/><text x="${x0 - 5}" y="${y + 4}" text-anchor="end" font-size="9">${int(v)}</text>`);
    }
    const groups = r.settings.connections;
    const groupW = plotW / groups.length;
    groups.forEach((connections, gi) => {
      const gx = x0 + gi * groupW;
      const present = paths.filter((p) => find(r, c, p, connections));
      const barW = Math.min(36, (groupW - 20) / Math.max(1, present.length));
      present.forEach((p, pi) => {
        const v = find(r, c, p, connections)!.rps;
        const h = ((panelH - 10) * v) / max;
        const bx = gx + 10 + pi * barW;
        out.push(`<rect x="${bx}" y="${baseY - h}" width="${barW - 4}" height="${h}" fill="${COLORS[p]}"><title>${SHORT[p]}, ${connections} in flight: ${int(v)} req/s</title></rect>`);
        out.push(`<text x="${bx + (barW - 4) / 2}" y="${baseY - h - 3}" text-anchor="middle" font-size="9">${int(v)}</text>`);
      });
      out.push(`<text x="${gx + groupW / 2}" y="${baseY + 16}" text-anchor="middle">${connections} in flight</text>`);
    });
  });
  out.push(`<text x="${left}" y="${height - 12}" font-size="10" fill="#555">${r.command} · ${r.date.slice(0, 10)} · see benchmarks.md for p50/p99 and RSS</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
