import { Initial1795615799832 } from './1795615799832-Initial.js';
import { ListIndexes1795615800000 } from './1795615800000-ListIndexes.js';
import { Outbox1795618996030 } from './1795618996030-Outbox.js';
import { ConversationCounts1795620000000 } from './1795620000000-ConversationCounts.js';
import { OutboxRetries1795630000000 } from './1795630000000-OutboxRetries.js';
import { ListFilters1795640000000 } from './1795640000000-ListFilters.js';
import { ListShapes1795650000000 } from './1795650000000-ListShapes.js';

/** Every migration, in order: globs find nothing under a bundler or Jest. */
export const MIGRATIONS = [Initial1795615799832, ListIndexes1795615800000, Outbox1795618996030, ConversationCounts1795620000000, OutboxRetries1795630000000, ListFilters1795640000000, ListShapes1795650000000];
