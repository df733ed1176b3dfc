/** Small helpers shared by the chaos modules: time, ports, polling, process memory. */
import { readFileSync } from 'node:fs';
import net from 'node:net';

// Shared with the end-to-end tests: one implementation of each.
export { freePort, ROOT, sleep, waitFor } from '../../test/support/processes.mjs';

/** A random integer in [min, max]. */
export const randomBetween = (min, max) => min + Math.floor(Math.random() * (max - min + 1));

/** Whether `port` can be listened on at 127.0.0.1 right now. @returns {Promise<boolean>} */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. @returns {Promise<boolean>} */
export function portIsOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** VmRSS and VmHWM (peak) of a process in MB, from /proc; null when it is gone. */
export function memoryOf(pid) {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Counts values: `tally(['a','b','a'])` is Map { a => 2, b => 1 }. */
export function tally(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
