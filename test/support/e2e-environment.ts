/** Where the e2e services of this run are: set by global-setup.ts, read by the tests. */
export interface E2eEnvironment {
  baseUrl: string;
  databaseUrl: string;
  amqpUrl: string;
  queue: string;
}

export function e2eEnvironment(): E2eEnvironment {
  const { E2E_BASE_URL, E2E_DATABASE_URL, E2E_AMQP_URL, E2E_QUEUE } = process.env;
  if (!E2E_BASE_URL || !E2E_DATABASE_URL || !E2E_AMQP_URL || !E2E_QUEUE) throw new Error('the e2e global setup did not run');
  return { baseUrl: E2E_BASE_URL, databaseUrl: E2E_DATABASE_URL, amqpUrl: E2E_AMQP_URL, queue: E2E_QUEUE };
}

/** The environment the e2e run's own gateway and worker were started with (set by the global setup). */
export function appEnv(): Record<string, string> {
  return JSON.parse(process.env.E2E_APP_ENV ?? '{}') as Record<string, string>;
}

/** Tokens of test/fixtures/e2e-fixture.json. */
export const TOKENS = {
  admin: 'e2e-token-ada', // administrator of accounts 1 and 3
  agentBen: 'e2e-token-ben', // agent of account 1, inboxes 1 and 2
  agentCleo: 'e2e-token-cleo', // agent of account 1, inboxes 2 and 3
  agentEve: 'e2e-token-eve', // agent of account 1, no inbox
  globexAdmin: 'e2e-token-dora', // administrator of account 2 only
  bot: 'e2e-token-bot-acme', // agent bot of account 1
  globexBot: 'e2e-token-bot-globex', // agent bot of account 2
  umbrellaAdmin: 'e2e-token-fay', // administrator of account 4 (the account the create tests write to)
  umbrellaAgent: 'e2e-token-gus', // agent of account 4, member of inbox 5 only
  umbrellaBot: 'e2e-token-bot-umbrella', // agent bot of account 4
  hooliAdmin: 'e2e-token-hal', // administrator of account 5 (the account the event tests write to)
  hooliBot: 'e2e-token-bot-hooli', // agent bot of account 5
} as const;
