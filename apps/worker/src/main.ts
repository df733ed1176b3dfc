import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AddressInfo } from 'node:net';
import { queueDefinition } from '#app/contracts';
import { DatabaseConnection } from '#app/domain';
import { closeOnSignals } from '#app/runtime';
import { ConfigError, loadConfig, WorkerSettings } from '#app/config';
import { ConversationsServer } from './messaging/conversations.server.js';
import { rmqServerOptions } from './messaging/rmq-server-options.js';
import { WorkerMetrics } from './observability/worker-metrics.js';
import { WorkerModule } from './worker.module.js';
import { OutboxRelay } from './events/outbox-relay.js';
import { Housekeeping } from './housekeeping.js';

/**
 * A hybrid app: the RMQ consumer does the work; a small HTTP server on HEALTH_PORT answers health
 * probes and serves /metrics. The order matters: probes first (they say "not ready" while a dependency
 * is down), then the database (retried for as long as it is unreachable), then the outbox relay, and
 * only then the consumer, so no message is taken before the worker can finish it.
 */
async function bootstrap(): Promise<void> {
  const settings = loadConfig(WorkerSettings);
  const queue = queueDefinition(settings.RMQ_QUEUE, settings.RMQ_QUEUE_TYPE);
  const server = new ConversationsServer(rmqServerOptions(settings.AMQP_URL, queue, settings.WORKER_PREFETCH), queue);
  const app = await NestFactory.create<NestFastifyApplication>(WorkerModule.forRoot(settings, queue, server), new FastifyAdapter(), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  server.useMetrics(app.get(WorkerMetrics));
  // inheritAppConfig: the microservice shares the app's pre-request hooks (per-message log context).
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  closeOnSignals(app, 'worker');
  await app.init();
  const healthPort = await listenForProbes(app, settings.HEALTH_PORT, settings.HEALTH_HOST, logger);
  await app.get(DatabaseConnection).connect();
  app.get(OutboxRelay).start();
  app.get(Housekeeping).start();
  await app.startAllMicroservices();
  logger.log(`consuming queue "${queue.name}" (prefetch ${settings.WORKER_PREFETCH}); health and metrics on port ${healthPort}`, 'Worker');
}

/**
 * Listens on HEALTH_PORT, or on a free port when another worker of this host has it already (SPEC 2: a
 * taken port never stops a worker; that worker's probes answer on the port it logs).
 */
async function listenForProbes(app: NestFastifyApplication, port: number, host: string, logger: Logger): Promise<number> {
  try {
    await app.listen(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await app.listen(0, host);
    logger.warn(`HEALTH_PORT ${port} is taken (another worker on this host?); probes answer on port ${boundPort(app)} instead`, 'Worker');
  }
  return boundPort(app);
}

function boundPort(app: NestFastifyApplication): number {
  return (app.getHttpServer().address() as AddressInfo).port;
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('worker failed to start:', error);
  process.exit(1);
});
