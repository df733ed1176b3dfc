/**
 * What `npm run seed:synthetic` generates, decided before any SQL runs: the accounts and their sizes,
 * and the label sets conversations draw from. Everything is a function of the parameters, so the same
 * parameters always give the same data (ids too, on a database that holds nothing else).
 */

/** Bumped whenever the generated data changes: a database seeded by another version is not reused. */
export const GENERATOR_VERSION = 1;

export interface SyntheticOptions {
  /** Conversations of the large account (account 1). */
  conversations: number;
  /** Accounts in all: the large one and `accounts - 1` small ones of conversations / 100 each (at least 10). */
  accounts: number;
}

export interface AccountPlan {
  /** 1-based position in the synthetic set (tokens and emails are named after it). */
  index: number;
  conversations: number;
  agents: number;
  inboxes: number;
  teams: number;
  contacts: number;
}

export const LABELS = [
  'billing', 'bug', 'feature-request', 'vip', 'refund', 'onboarding', 'churn-risk', 'enterprise',
  'spam', 'feedback', 'shipping', 'account', 'integration', 'security', 'urgent-customer',
] as const;

/** How often each label is drawn: a few are common, most are rare (as in real help desks). */
const LABEL_WEIGHTS = [14, 12, 9, 8, 7, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1];

/** The signature stored in the large account's name: how the bench recognises a database it can reuse. */
export function signature(options: SyntheticOptions): string {
  return `synthetic v${GENERATOR_VERSION} N=${options.conversations} K=${options.accounts}`;
}

export function accountName(plan: AccountPlan, options: SyntheticOptions): string {
  return plan.index === 1 ? `Synthetic 1/${options.accounts} [${signature(options)}]` : `Synthetic ${plan.index}/${options.accounts}`;
}

/** Tokens of the synthetic users (stored as SHA-256 digests like any other). */
export const adminToken = (accountIndex: number) => `synthetic-a${accountIndex}-admin`;
export const agentToken = (accountIndex: number, agent: number) => `synthetic-a${accountIndex}-agent-${agent}`;

export function planAccounts(options: SyntheticOptions): AccountPlan[] {
  const small = Math.max(10, Math.floor(options.conversations / 100));
  return Array.from({ length: options.accounts }, (_, i) => {
    const conversations = i === 0 ? options.conversations : small;
    const large = i === 0;
    return {
      index: i + 1,
      conversations,
      agents: large ? 40 : 3,
      inboxes: large ? 12 : 2,
      teams: large ? 6 : 1,
      contacts: Math.max(1, Math.ceil(conversations / 4)),
    };
  });
}

/** mulberry32: a tiny seeded PRNG, so the label sets are the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 100 label sets, each sorted and distinct; a conversation takes set `hash % 100`: 40 % carry no
 * label, 35 % one, 18 % two, 7 % three.
 */
export function labelSets(): string[][] {
  const random = prng(20260101);
  const total = LABEL_WEIGHTS.reduce((a, b) => a + b, 0);
  const draw = () => {
    let r = random() * total;
    for (let i = 0; i < LABELS.length; i++) {
      r -= LABEL_WEIGHTS[i];
      if (r < 0) return LABELS[i];
    }
    return LABELS[0];
  };
  const sets: string[][] = [];
  for (let i = 0; i < 100; i++) {
    const size = i < 40 ? 0 : i < 75 ? 1 : i < 93 ? 2 : 3;
    const set = new Set<string>();
    while (set.size < size) set.add(draw());
    sets.push([...set].sort());
  }
  return sets;
}

/** `--conversations N [--accounts K]`, strictly: anything else is an error naming it. */
export function parseOptions(argv: string[]): SyntheticOptions {
  const options: SyntheticOptions = { conversations: 0, accounts: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    const number = Number(value);
    if (flag !== '--conversations' && flag !== '--accounts') throw new Error(`unknown option ${flag}`);
    if (value === undefined || !Number.isSafeInteger(number) || number < 1) throw new Error(`${flag} needs a positive integer`);
    if (flag === '--conversations') options.conversations = number;
    else options.accounts = number;
  }
  if (!options.conversations) throw new Error('--conversations N is required');
  if (options.accounts > 1000) throw new Error('--accounts must be at most 1000');
  return options;
}
