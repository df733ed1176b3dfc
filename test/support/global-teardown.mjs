import amqp from 'amqplib';
import { dropDatabase } from './database.mjs';
import { stopApp } from './processes.mjs';

/** Stops the apps, drops the scratch database and deletes the run's queues. */
export default async function globalTeardown() {
  await Promise.all((globalThis.__E2E_CHILDREN__ ?? []).map((child) => stopApp(child)));
  const { E2E_DATABASE_URL, E2E_AMQP_URL, E2E_QUEUE } = process.env;
  if (E2E_DATABASE_URL) await dropDatabase(E2E_DATABASE_URL);
  if (E2E_AMQP_URL && E2E_QUEUE) {
    const connection = await amqp.connect(E2E_AMQP_URL);
    const channel = await connection.createChannel();
    for (const queue of [E2E_QUEUE, `${E2E_QUEUE}.dlq`, `${E2E_QUEUE}.retry`]) await channel.deleteQueue(queue);
    await channel.deleteExchange(`${E2E_QUEUE}.dlx`);
    await channel.deleteExchange(`${E2E_QUEUE}.events`);
    await connection.close();
  }
}
