/** What the real path's apps say about themselves on /metrics: where a request's time goes, and their memory. */
import type { BenchResults } from './results.js';
import type { RealPath } from './real-path.js';

const sources = (real: RealPath): [string, string][] => [
  ['gateway', `http://127.0.0.1:${real.gatewayPort}/metrics`],
  ...real.workerHealthPorts.map((port, i): [string, string] => [`worker${real.workerHealthPorts.length > 1 ? i + 1 : ''}`, `http://127.0.0.1:${port}/metrics`]),
];

/** Heap, external memory and RSS of the gateway and worker(s), from prom-client's process metrics. */
export async function memoryComposition(real: RealPath): Promise<BenchResults['memory']> {
  const pick = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  const out: BenchResults['memory'] = [];
  for (const [name, url] of sources(real)) {
    const text = await (await fetch(url)).text();
    out.push({
      process: name,
      rss: pick(text, 'process_resident_memory_bytes'),
      heapTotal: pick(text, 'nodejs_heap_size_total_bytes'),
      heapUsed: pick(text, 'nodejs_heap_size_used_bytes'),
      external: pick(text, 'nodejs_external_memory_bytes'),
    });
  }
  return out;
}

/** Sums and counts of the list's histograms in the gateway and the worker(s). */
export async function scrapeAll(real: RealPath): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, url] of sources(real)) {
    const prefix = name === 'gateway' ? 'gateway:' : 'worker:';
    for (const line of (await (await fetch(url)).text()).split('\n')) {
      const m = /^(\w+?)_(sum|count)\{(.*)\} ([\d.e+-]+)$/.exec(line);
      if (!m) continue;
      const [, metric, kind, labels, value] = m;
      const interesting =
        (metric === 'http_request_duration_seconds' && /method="GET"/.test(labels) && /conversations"/.test(labels)) ||
        (metric === 'rpc_duration_seconds' && /conversations\.list/.test(labels)) ||
        (metric === 'message_handler_duration_seconds' && /conversations\.list/.test(labels));
      if (interesting) out[`${prefix}${metric}_${kind}`] = (out[`${prefix}${metric}_${kind}`] ?? 0) + Number(value);
    }
  }
  return out;
}

/** Mean ms of each span between two scrapes. */
export function differenceOf(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const mean = (key: string) => {
    const sum = (after[`${key}_sum`] ?? 0) - (before[`${key}_sum`] ?? 0);
    const count = (after[`${key}_count`] ?? 0) - (before[`${key}_count`] ?? 0);
    return count ? (sum / count) * 1000 : NaN;
  };
  return {
    'gateway: HTTP request (Fastify onRequest to onResponse)': mean('gateway:http_request_duration_seconds'),
    'gateway: RPC round trip (publish to reply)': mean('gateway:rpc_duration_seconds'),
    'worker: handler (validate, authenticate, counts || page, render)': mean('worker:message_handler_duration_seconds'),
  };
}
