/**
 * The frameworkless path's worker side (bench only): amqplib and pg, no NestJS, no TypeORM. For each
 * list message it runs the statements the domain service sends for that query (recorded by the bench
 * from the service itself: the same SQL, in the same shape, on a pool of the same size), renders the rows
 * with the domain's own renderer, replies and acks.
 */
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';
import pg from 'pg';
import { tokenDigest } from '../../libs/contracts/src/token-digest.js';
import { renderConversation } from '../../libs/domain/src/conversations/render/conversation.renderer.js';
import type { ConversationRow } from '../../libs/domain/src/conversations/sql/conversation-select.js';
import type { ListStatements } from '../lib/capture.js';

const env = process.env;
const queue = env.FL_QUEUE ?? 'conv_bench_frameworkless';
const PER_PAGE = 25;

/** The statements of each bench case, keyed by the JSON of its parsed query string. */
const cases = JSON.parse(readFileSync(env.FL_STATEMENTS ?? '', 'utf8')) as Record<string, ListStatements>;

const pool = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DB_POOL_SIZE ?? 10),
  application_name: 'conversations-bench-frameworkless',
  keepAlive: true,
});

class Failure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

interface Envelope {
  pattern: string;
  data: { api_access_token: string; account_id: number; query: Record<string, unknown> };
}

async function list({ data }: Envelope): Promise<object> {
  const { auth, counts, ids, render } = cases[JSON.stringify(data.query)] ?? {};
  if (!auth) throw new Failure(400, 'the frameworkless path serves only the bench cases');
  const caller = (await pool.query<{ account_exists: boolean; role: number | null }>(auth.text, [tokenDigest(data.api_access_token), data.account_id])).rows[0];
  if (!caller) throw new Failure(401, 'Invalid Access Token');
  if (!caller.account_exists) throw new Failure(404, 'Resource could not be found');
  if (caller.role === null) throw new Failure(403, 'You are not a member of this account.');
  const [countRows, rows] = await Promise.all([
    pool.query<{ mine_count: number; unassigned_count: number; all_count: number }>(counts.text, counts.values),
    pool
      .query<{ id: string }>(ids.text, ids.values)
      .then((page) => pool.query<ConversationRow>({ name: render.name, text: render.text, values: [page.rows.map((r) => r.id)] })),
  ]);
  const c = countRows.rows[0];
  const meta = { mine_count: c.mine_count, assigned_count: c.all_count - c.unassigned_count, unassigned_count: c.unassigned_count, all_count: c.all_count };
  const assigneeType = (data.query.assignee_type as string | undefined) ?? 'all';
  const listed = { me: meta.mine_count, unassigned: meta.unassigned_count, assigned: meta.assigned_count }[assigneeType] ?? meta.all_count;
  const page = Number(data.query.page ?? 1);
  return { data: { meta: { ...meta, current_page: page, per_page: PER_PAGE, total_pages: Math.ceil(listed / PER_PAGE) }, payload: rows.rows.map(renderConversation) } };
}

const connection = await amqp.connect(env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', { noDelay: true });
const channel = await connection.createChannel();
await channel.assertQueue(queue, { durable: false, autoDelete: true });
await channel.prefetch(Number(env.WORKER_PREFETCH ?? 20));
await channel.consume(queue, (message) => {
  if (!message) return;
  void (async () => {
    let reply: object;
    try {
      reply = { response: await list(JSON.parse(message.content.toString()) as Envelope), isDisposed: true };
    } catch (error) {
      reply = { err: { status: error instanceof Failure ? error.status : 500, error: (error as Error).message }, isDisposed: true };
    }
    channel.sendToQueue(message.properties.replyTo as string, Buffer.from(JSON.stringify(reply)), { correlationId: message.properties.correlationId as string });
    channel.ack(message);
  })();
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void connection.close().then(() => pool.end()).finally(() => process.exit(0)));
}
console.log(`frameworkless consumer on queue ${queue} (${Object.keys(cases).length} cases)`);
