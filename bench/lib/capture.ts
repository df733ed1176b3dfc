/**
 * The statements of one list request exactly as the domain service sends them: recorded from its pg
 * pool, for the raw-SQL replay, the frameworkless consumer and the statement count.
 */
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ListConversationsQuery } from '#app/contracts';
import { AccessService, ConversationListService } from '#app/domain';
import { dataSourceOptions } from '#app/persistence';

export interface Captured {
  text: string;
  values: unknown[];
  /** Set for a named (prepared) statement: the page's rendering. */
  name?: string;
}

/** The four statements of a list request, by role. */
export interface ListStatements {
  auth: Captured;
  counts: Captured;
  ids: Captured;
  render: Captured;
}

const captured: Captured[] = [];
class RecordingClient extends pg.Client {
  override query(...args: unknown[]): any {
    const [first, second] = args;
    if (typeof first === 'string') captured.push({ text: first, values: (second as unknown[]) ?? [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as { text: string; values?: unknown[]; name?: string };
      captured.push({ text: config.text, values: config.values ?? (second as unknown[]) ?? [], name: config.name });
    }
    return (super.query as (...a: unknown[]) => unknown)(...args);
  }
}

/** Runs each list query twice through ConversationListService and keeps the second run's statements. */
export async function captureListStatements(
  databaseUrl: string,
  token: string,
  accountId: number,
  queries: Record<string, Partial<ListConversationsQuery>>,
): Promise<Record<string, Captured[]>> {
  const recording = new DataSource({
    ...dataSourceOptions({ url: databaseUrl, poolSize: 2, applicationName: 'conversations-bench-capture' }),
    extra: { max: 2, Client: RecordingClient },
  } as ReturnType<typeof dataSourceOptions>);
  await recording.initialize();
  try {
    const service = new ConversationListService(recording, new AccessService(recording));
    const out: Record<string, Captured[]> = {};
    for (const [id, fields] of Object.entries(queries)) {
      const query = Object.assign(new ListConversationsQuery(), fields);
      await service.list(token, accountId, query);
      captured.length = 0;
      await service.list(token, accountId, query);
      out[id] = captured.splice(0);
      if (out[id].length !== 4) throw new Error(`expected 4 statements for ${id}, got ${out[id].length}`);
    }
    return out;
  } finally {
    await recording.destroy();
  }
}

/** Tells the four statements apart: authenticate first, the render is the named one, the counts name mine_count. */
export function byRole(statements: Captured[]): ListStatements {
  const [auth, ...rest] = statements;
  const render = rest.find((s) => s.name);
  const counts = rest.find((s) => !s.name && /mine_count/.test(s.text));
  const ids = rest.find((s) => s !== render && s !== counts);
  if (!auth || !render || !counts || !ids) throw new Error('unexpected statements: ' + statements.map(describe).join(' | '));
  return { auth, counts, ids, render };
}

export function describe(s: Captured): string {
  const flat = s.text.replace(/\s+/g, ' ').trim();
  if (s.name) return `render the page (prepared statement ${s.name}; EXPLAIN here plans it, the service's prepared statement does not)`;
  if (/FROM access_tokens/.test(flat)) return 'authenticate (token, account, role)';
  const kept = /FROM (conversation_counts|conversation_label_counts) k/.exec(flat);
  if (kept) return `counts: SUM over ${kept[1]} (+ team check)`;
  if (/mine_count/.test(flat)) return 'counts: COUNT(*) FILTER over conversations (scan road)';
  if (/^SELECT c\.id FROM conversations/.test(flat)) return 'page ids (filters, order, LIMIT 25)';
  return flat.slice(0, 80);
}
