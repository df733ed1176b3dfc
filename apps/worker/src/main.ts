import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { queueDefinition } from '#app/contracts';
import { closeOnSignals } from '#app/runtime';
import { ConfigError, loadConfig, WorkerSettings } from '#app/config';
import { ConversationsServer } from './messaging/conversations.server.js';
import { rmqServerOptions } from './messaging/rmq-server-options.js';
import { WorkerMetrics } from './observability/worker-metrics.js';
import { WorkerModule } from './worker.module.js';

/**
 * A hybrid app: the RMQ consumer does the work; a small HTTP server on HEALTH_PORT answers health
 * probes and serves /metrics.
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
  await app.startAllMicroservices();
  await app.listen(settings.HEALTH_PORT, settings.HEALTH_HOST);
  logger.log(`consuming queue "${queue.name}" (prefetch ${settings.WORKER_PREFETCH}); health and metrics on port ${settings.HEALTH_PORT}`, 'Worker');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('worker failed to start:', error);
  process.exit(1);
});
