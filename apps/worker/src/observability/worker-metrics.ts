import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '#app/runtime';
import { Counter, Histogram, type Registry } from 'prom-client';

/** What became of a message (see MessageSettlement). */
export type MessageOutcome = 'acked' | 'error_reply' | 'dead_lettered' | 'retried' | 'requeued' | 'expired';

/** The worker's instruments (served at /metrics on the health port). */
@Injectable()
export class WorkerMetrics {
  readonly handled: Counter<'pattern' | 'outcome'>;
  readonly handlerDuration: Histogram<'pattern'>;
  readonly deadLettered: Counter<'reason'>;
  readonly eventsPublished: Counter;
  readonly eventsRefused: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.handled = new Counter({
      name: 'messages_handled_total',
      help: 'Messages handled, by pattern and what became of them',
      labelNames: ['pattern', 'outcome'],
      registers: [registry],
    });
    this.handlerDuration = new Histogram({
      name: 'message_handler_duration_seconds',
      help: 'Time from delivery to settlement, by pattern',
      labelNames: ['pattern'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'messages_dead_lettered_total',
      help: 'Messages moved to the dead-letter queue, by kind of reason (HTTP-like status, not_json, unknown_pattern...)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.eventsPublished = new Counter({
      name: 'domain_events_published_total',
      help: 'Outbox events published to EVENTS_EXCHANGE and confirmed by the broker',
      registers: [registry],
    });
    this.eventsRefused = new Counter({
      name: 'domain_events_refused_total',
      help: 'Outbox event publications the broker refused or did not confirm in time (each is retried later, with a growing delay)',
      registers: [registry],
    });
  }
}
