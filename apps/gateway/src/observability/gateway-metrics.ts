import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '#app/runtime';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds buckets from 0.5 ms to 10 s: the RPC path is a few ms, the timeout 10 s. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type RpcOutcome = 'ok' | 'error_reply' | 'timeout' | 'unavailable';

/** The gateway's instruments (served at /metrics). */
@Injectable()
export class GatewayMetrics {
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly rpcDuration: Histogram<'pattern' | 'outcome'>;
  readonly rpcErrors: Counter<'pattern' | 'status'>;
  readonly rpcTimeouts: Counter<'pattern'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route template and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.rpcDuration = new Histogram({
      name: 'rpc_duration_seconds',
      help: 'RPC round trips to the workers, by pattern and outcome',
      labelNames: ['pattern', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.rpcErrors = new Counter({
      name: 'rpc_errors_total',
      help: 'RPCs that did not succeed, by pattern and the HTTP status answered',
      labelNames: ['pattern', 'status'],
      registers: [registry],
    });
    this.rpcTimeouts = new Counter({
      name: 'rpc_timeouts_total',
      help: 'RPCs that got no reply within RPC_TIMEOUT_MS',
      labelNames: ['pattern'],
      registers: [registry],
    });
  }

  /** Times every HTTP request by its route template (not its URL: ids would explode the label set). */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }
}
