/** What one bench run measured: written to dist/bench/results.json, read back by the report (`--report-only`). */
import type { ProfileSummary } from './profile.js';
import type { Summary } from './stats.js';

/** The four ways a list is served: three through HTTP, and the SQL alone. */
export type PathName = 'real' | 'inproc' | 'frameworkless' | 'raw';
export type HttpPathName = Exclude<PathName, 'raw'>;

export interface Measurement {
  case: string;
  path: PathName;
  connections: number;
  summary: Summary;
  /** Highest RSS (MB) of each process of the path while the case ran. */
  rss: Record<string, number>;
}

export interface Settings {
  nodeOptions: string;
  smoke: boolean;
  conversations: number;
  accounts: number;
  duration: number;
  warmup: number;
  repeat: number;
  workers: number;
  prefetch: number;
  pool: number;
  connections: number[];
  /** Shape matrix: measured requests per shape, warm-up requests, longest a shape may take (s). */
  shapeRequests: number;
  shapeWarmup: number;
  shapeSeconds: number;
  /** Creates between the two authentication measurements. */
  authCreates: number;
  /** Conversations of the large account of the second database (0: not measured). */
  largeConversations: number;
}

export interface SeedInfo {
  signature: string;
  seconds: number;
  rows: Record<string, number>;
  at: string;
  reusedNow: boolean;
}

/** How a shape's first answer compared with what it should be. */
export interface ShapeCheck {
  ok: boolean;
  problems: string[];
  /** all_count of the answer, and the count the bench's own SQL gives (null: not compared). */
  allCount: number;
  oracleCount: number | null;
  /** The count that sizes the pages (by assignee_type), and the conversations on the page. */
  listed: number;
  payload: number;
}

export interface ShapeResult {
  id: string;
  group: string;
  /** Path and query string under /api/v1/accounts/{id}/conversations. */
  request: string;
  /** Most p50 allowed, as a multiple of the default list's p50 in the same run. */
  limit: number;
  who: 'admin' | 'agent';
  requests: number;
  p50: number;
  p99: number;
  mean: number;
  /** Answers other than 200, or whose length differed from the first one's. */
  failures: number;
  check: ShapeCheck;
}

export interface ShapeRun {
  command: string;
  date: string;
  database: string;
  conversations: number;
  seed: SeedInfo;
  /** Conversations whose updated_at the bench moved into the last 30 days (so updated_within finds some). */
  freshened: number;
  results: ShapeResult[];
  seconds: number;
}

/** Authentication before and after a burst of creates (dead row versions left behind by the writes). */
export interface AuthAfterCreates {
  creates: number;
  createSeconds: number;
  createErrors: number;
  phases: { phase: 'before' | 'after'; authenticate: Summary; meta: Summary; deadRows: Record<string, number> }[];
}

export interface BenchResults {
  command: string;
  date: string;
  settings: Settings;
  machine: { cpus: string; memory: string; node: string; postgres: string; rabbitmq: string; kernel: string };
  seed: SeedInfo;
  measurements: Measurement[];
  serverTimes: { case: string; statement: string; planningMs: number; executionMs: number }[];
  triggerExperiment: { variant: string; summary: Summary }[];
  breakdown: Record<string, number>;
  peaks: Record<string, number>;
  statements: Record<string, string[]>;
  cases: Record<string, string>;
  seconds: number;
  /** CPU profiles of the apps over the whole run (`--profile`). */
  profiles: ProfileSummary[];
  /** Where the profiles come from when not from this run. */
  profileSource?: string;
  /** Memory of the real path's processes right after the list at 64 in flight (MB, from /metrics). */
  memory: { process: string; rss: number; heapTotal: number; heapUsed: number; external: number }[];
  /** Whether each HTTP path answers a list case with the same JSON as the real path. */
  sameAnswers?: Record<string, Record<string, boolean>>;
  authAfterCreates?: AuthAfterCreates;
  /** The shape matrix on the main database, and on the large one (`--ten-million`). */
  shapes?: ShapeRun;
  largeShapes?: ShapeRun;
}
