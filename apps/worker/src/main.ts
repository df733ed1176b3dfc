import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { queueDefinition } from '#app/contracts';
import { closeOnSignals } from '#app/runtime';
import { ConfigError, loadConfig, WorkerSettings } from '#app/config';
import { ConversationsServer } from './messaging/conversations.server.js';
import { rmqServerOptions } from './messaging/rmq-server-options.js';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  const settings = loadConfig(WorkerSettings);
  const queue = queueDefinition(settings.RMQ_QUEUE, settings.RMQ_QUEUE_TYPE);
  const server = new ConversationsServer(rmqServerOptions(settings.AMQP_URL, queue, settings.WORKER_PREFETCH), queue);
  const app = await NestFactory.createMicroservice(WorkerModule.forRoot(settings, queue), { strategy: server });
  closeOnSignals(app, 'worker');
  await app.listen();
  new Logger('Worker').log(`consuming queue "${queue.name}" (prefetch ${settings.WORKER_PREFETCH})`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('worker failed to start:', error);
  process.exit(1);
});
