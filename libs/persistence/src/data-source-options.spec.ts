import { dataSourceOptions } from './data-source-options.js';

/** The pg pool settings inside TypeORM's options (`extra` is handed to pg.Pool as it is). */
const poolOf = (options: ReturnType<typeof dataSourceOptions>) => (options as { extra: Record<string, unknown> }).extra;

describe('dataSourceOptions', () => {
  it('gives every connection TCP keep-alive and an idle-in-transaction limit, so a silent partition hangs nothing for good', () => {
    const pool = poolOf(dataSourceOptions({ url: 'postgres://db/x' }));
    expect(pool).toMatchObject({ keepAlive: true, keepAliveInitialDelayMillis: 10_000, idle_in_transaction_session_timeout: 30_000, connectionTimeoutMillis: 5_000 });
  });

  it('sets a statement timeout for the apps that ask for one, and none for the one-shot commands', () => {
    expect(poolOf(dataSourceOptions({ url: 'postgres://db/x', statementTimeoutMs: 15_000 }))).toMatchObject({ statement_timeout: 15_000 });
    expect(poolOf(dataSourceOptions({ url: 'postgres://db/x' }))).not.toHaveProperty('statement_timeout');
  });

  it('sizes the pool as asked, 10 by default', () => {
    expect(poolOf(dataSourceOptions({ url: 'postgres://db/x' })).max).toBe(10);
    expect(poolOf(dataSourceOptions({ url: 'postgres://db/x', poolSize: 3 })).max).toBe(3);
  });
});
