/**
 * Command-line flags and the two plans (full and smoke). Fault times are seconds after the load
 * starts; the load is paced over `loadSeconds` so that the faults land while creates are flowing
 * (unpaced, 2,000 creates would be over in seconds, before the first fault).
 */
const FULL = {
  mode: 'full',
  creates: 2000,
  concurrency: 32,
  loadSeconds: 120,
  killEverySeconds: [3, 6],
  maxKills: Infinity,
  brokerRestartAt: 20,
  pgCutAt: 50,
  pgCutSeconds: 40,
  quietTimeoutSeconds: 150,
};

const SMOKE = {
  mode: 'smoke',
  creates: 200,
  concurrency: 32,
  loadSeconds: 30,
  killEverySeconds: [6, 9],
  maxKills: 2,
  brokerRestartAt: 5,
  pgCutAt: 15,
  pgCutSeconds: 10,
  quietTimeoutSeconds: 90,
};

const USAGE = `usage: npm run chaos -- [--smoke] [--creates N] [--concurrency N] [--keep-db] [--fallback-broker]
  --smoke        ${SMOKE.creates} creates over ${SMOKE.loadSeconds} s, a ${SMOKE.pgCutSeconds} s Postgres cut, ${SMOKE.maxKills} worker kills
  --creates N    creates to drive (default ${FULL.creates}, smoke ${SMOKE.creates})
  --concurrency  creates in flight at most (default ${FULL.concurrency})
  --keep-db      leave the scratch database behind for inspection
  --fallback-broker  do not start a RabbitMQ node: proxy the machine's broker and cut the proxy instead
                 of restarting (what the run does by itself when it cannot start a node)`;

/** @param {string[]} argv */
export function parseOptions(argv) {
  const plan = { ...(argv.includes('--smoke') ? SMOKE : FULL), keepDb: false, fallbackBroker: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} needs a positive integer\n${USAGE}`);
      return value;
    };
    if (arg === '--smoke') continue;
    else if (arg === '--creates') plan.creates = number();
    else if (arg === '--concurrency') plan.concurrency = number();
    else if (arg === '--keep-db') plan.keepDb = true;
    else if (arg === '--fallback-broker') plan.fallbackBroker = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  plan.ratePerSecond = plan.creates / plan.loadSeconds;
  // An idempotent HTTP caller keeps retrying through the longest outage, and then some.
  plan.keyedRetrySeconds = plan.pgCutSeconds + 60;
  return plan;
}
