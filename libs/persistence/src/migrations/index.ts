import { Initial1795615799832 } from './1795615799832-Initial.js';
import { ListIndexes1795615800000 } from './1795615800000-ListIndexes.js';

/** Every migration, in order: globs find nothing under a bundler or Jest. */
export const MIGRATIONS = [Initial1795615799832, ListIndexes1795615800000];
