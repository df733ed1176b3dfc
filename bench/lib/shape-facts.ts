/** What the shape matrix needs from a seeded database: its busiest inbox, a team, a source_id, who calls. */
import type pg from 'pg';
import { tokenDigest } from '#app/contracts';
import { adminToken, agentToken } from '../../apps/cli/src/seed-synthetic.js';
import type { Caller } from './shape-run.js';
import type { ShapeFacts } from './shapes.js';

/** In every synthetic message of the kind "Hi, I need help with my order" (one text in six). */
const COMMON_TEXT = 'order';

export async function shapeFacts(pool: pg.Pool, accountId: number, conversations: number): Promise<ShapeFacts> {
  const one = async <T>(sql: string): Promise<T> => {
    const { rows } = await pool.query<{ v: T }>(sql, [accountId]);
    if (!rows[0]) throw new Error(`nothing found for the shape matrix: ${sql}`);
    return rows[0].v;
  };
  const busyInbox = Number(await one<string>('SELECT inbox_id AS v FROM conversation_counts WHERE account_id = $1 GROUP BY inbox_id ORDER BY sum(n) DESC, inbox_id LIMIT 1'));
  const team = Number(await one<string>('SELECT min(id) AS v FROM teams WHERE account_id = $1'));
  const sourceId = await one<string>(
    'SELECT ci.source_id AS v FROM conversations c JOIN contact_inboxes ci ON ci.id = c.contact_inbox_id WHERE c.account_id = $1 ORDER BY c.display_id LIMIT 1',
  );
  // Every message of conversation N ends in "(#N.j)": this text is in that one conversation only.
  const rareText = `#${Math.floor(conversations / 2) + 1}.`;
  return { conversations, busyInbox, team, sourceId, commonText: COMMON_TEXT, rareText };
}

/** The large account's administrator and its first agent, with their user ids. */
export async function shapeCallers(pool: pg.Pool): Promise<{ admin: Caller; agent: Caller }> {
  const caller = async (token: string): Promise<Caller> => {
    const { rows } = await pool.query<{ user_id: string }>('SELECT user_id FROM access_tokens WHERE token_digest = $1', [tokenDigest(token)]);
    if (!rows[0]) throw new Error(`no user for the synthetic token ${token}`);
    return { token, userId: Number(rows[0].user_id) };
  };
  return { admin: await caller(adminToken(1)), agent: await caller(agentToken(1, 1)) };
}
