/**
 * `npm run seed:synthetic -- --conversations N [--accounts K]`: loads realistic, deterministic data for
 * benchmarks into DATABASE_URL (migrated first): one large account of N conversations (contacts,
 * inboxes, teams, agents, labels, statuses, messages) and K - 1 small ones. Set-based SQL, one
 * transaction, a progress line per 100,000 rows. Run it on a scratch database: it refuses a database
 * that already holds synthetic data of other parameters, and does nothing for the same ones.
 */
import { ConfigError, DatabaseSettings, loadConfig } from '#app/config';
import { migrate } from './database.js';
import { seedSynthetic } from './synthetic/load.js';
import { adminToken, agentToken, parseOptions } from './synthetic/plan.js';

export { seedSynthetic } from './synthetic/load.js';
export { adminToken, agentToken, signature } from './synthetic/plan.js';

if (process.argv[1]?.endsWith('/seed-synthetic.js')) {
  try {
    const options = parseOptions(process.argv.slice(2));
    const { DATABASE_URL } = loadConfig(DatabaseSettings);
    await migrate(DATABASE_URL);
    const result = await seedSynthetic(DATABASE_URL, options, (line) => console.log(line));
    if (result.reused) console.log('seed:synthetic: this database already holds this synthetic data: nothing to do');
    const large = result.accounts[0];
    console.log(`large account: id ${large.id}, ${large.conversations.toLocaleString('en-US')} conversations`);
    console.log(`tokens: ${adminToken(1)} (administrator), ${agentToken(1, 1)} .. ${agentToken(1, 40)} (agents)`);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `seed:synthetic failed: ${(error as Error).message}`);
    console.error('usage: npm run seed:synthetic -- --conversations N [--accounts K]');
    process.exit(1);
  }
}
