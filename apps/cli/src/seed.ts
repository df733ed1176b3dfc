/** `npm run seed -- FILE`: loads a fixture file (SPEC 7) into DATABASE_URL, all or nothing. */
import { readFile } from 'node:fs/promises';
import { ConfigError, DatabaseSettings, loadConfig } from '#app/config';
import { FixtureError, loadFixture } from '#app/domain';
import { withDataSource } from './database.js';

export async function seedFile(url: string, file: string): Promise<Record<string, number>> {
  let fixture: unknown;
  try {
    fixture = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new FixtureError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return withDataSource(url, async (dataSource) => (await loadFixture(dataSource, fixture)).inserted);
}

const isMain = process.argv[1]?.endsWith('/seed.js');
if (isMain) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run seed -- FILE');
    process.exit(2);
  }
  try {
    const { DATABASE_URL } = loadConfig(DatabaseSettings);
    const inserted = await seedFile(DATABASE_URL, file);
    const summary = Object.entries(inserted).map(([table, n]) => `${n} ${table}`).join(', ');
    console.log(`loaded ${file}: ${summary || 'nothing new (already loaded)'}`);
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof FixtureError;
    console.error(known ? `seed refused, nothing loaded: ${(error as Error).message}` : `seed failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
