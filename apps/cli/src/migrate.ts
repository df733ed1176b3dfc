/** `npm run db:migrate`: applies the migrations to DATABASE_URL. */
import { ConfigError, DatabaseSettings, loadConfig } from '#app/config';
import { migrate } from './database.js';

try {
  const { DATABASE_URL } = loadConfig(DatabaseSettings);
  const applied = await migrate(DATABASE_URL);
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'the database is up to date');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`);
  process.exit(1);
}
