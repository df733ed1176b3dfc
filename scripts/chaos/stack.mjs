/**
 * The apps under test, as child processes of the built code: gateways and workers, each in a slot
 * with fixed ports and a log file (dist/chaos-logs/<run>/<slot>.log, appended across restarts).
 *
 * A worker the run kills is started again at once. A process that exits on its own is an incident:
 * it is recorded (the report fails on it) and, like a process supervisor would, started again with a
 * doubling delay, so one crash does not leave the run short of workers.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { appNodeFlags } from '../../test/support/processes.mjs';
import { memoryOf, ROOT, sleep, waitFor } from './util.mjs';

const RESTART_DELAYS_MS = [1000, 2000, 4000, 8000];
/** A process that has stayed up this long is healthy again: its next crash restarts after the first delay. */
const STABLE_AFTER_MS = 20_000;

/**
 * @typedef {{ name: string, kind: 'gateway' | 'worker', env: Record<string, string>, url: string,
 *   child: import('node:child_process').ChildProcess | null, startedAt: number, starts: number,
 *   crashes: number, killing: boolean, restartTimer: NodeJS.Timeout | null }} Slot
 */

export class Stack {
  /**
   * @param {{ logDir: string, timeline: import('./timeline.mjs').Timeline }} options
   */
  constructor({ logDir, timeline }) {
    this.logDir = logDir;
    this.timeline = timeline;
    /** @type {Slot[]} */
    this.slots = [];
    this.stopping = false;
    this.kills = 0;
    /** @type {{ name: string, code: number | null, signal: string | null, t: number, lastLog: string }[]} */
    this.unexpectedExits = [];
  }

  /** Adds a slot; `url` is where its health endpoints answer. */
  add(kind, name, env, url) {
    this.slots.push({ name, kind, env, url, child: null, startedAt: 0, starts: 0, crashes: 0, killing: false, restartTimer: null });
  }

  get gateways() {
    return this.slots.filter((s) => s.kind === 'gateway');
  }

  get workers() {
    return this.slots.filter((s) => s.kind === 'worker');
  }

  /** Starts every slot and waits until each answers /health/ready. */
  async start(timeoutMs = 120_000) {
    for (const slot of this.slots) this.spawn(slot);
    await Promise.all(
      this.slots.map((slot) => waitFor(`${slot.name} to be ready`, async () => (await fetch(`${slot.url}/health/ready`)).status === 200, timeoutMs)),
    );
  }

  /** @param {Slot} slot */
  spawn(slot) {
    slot.starts += 1;
    slot.startedAt = performance.now();
    const log = createWriteStream(path.join(this.logDir, `${slot.name}.log`), { flags: 'a' });
    log.write(`\n=== start #${slot.starts} at run time ${this.timeline.now().toFixed(1)} s ===\n`);
    const child = spawn(process.execPath, [...appNodeFlags(), path.join(ROOT, 'dist', 'apps', slot.kind, 'src', 'main.js')], {
      env: { ...process.env, ...slot.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own: a Ctrl-C in the terminal reaches the run, which stops the apps itself.
      detached: true,
    });
    slot.child = child;
    /** the end of its output, to say why it died */
    let tail = '';
    const keepTail = (chunk) => (tail = (tail + chunk.toString()).slice(-600));
    child.stdout.on('data', keepTail);
    child.stderr.on('data', keepTail);
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.once('exit', (code, signal) => {
      if (slot.child === child) slot.child = null;
      if (slot.killing || this.stopping) return;
      this.onCrash(slot, code, signal, tail);
    });
  }

  /** @param {Slot} slot */
  onCrash(slot, code, signal, tail) {
    const t = this.timeline.now();
    const lastLog = lastLine(tail);
    this.unexpectedExits.push({ name: slot.name, code, signal, t, lastLog });
    if (performance.now() - slot.startedAt > STABLE_AFTER_MS) slot.crashes = 0;
    const delay = RESTART_DELAYS_MS[Math.min(slot.crashes, RESTART_DELAYS_MS.length - 1)];
    slot.crashes += 1;
    this.timeline.log(`${slot.name} EXITED BY ITSELF (code ${code}, signal ${signal}): ${lastLog}; restarting in ${delay / 1000} s`);
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (!this.stopping) this.spawn(slot);
    }, delay);
  }

  /** SIGKILLs a random running worker and starts it again at once. @returns {Promise<string | null>} its name */
  async killRandomWorker() {
    const running = this.workers.filter((s) => s.child && !s.killing);
    if (running.length === 0) return null;
    const slot = running[Math.floor(Math.random() * running.length)];
    const child = /** @type {import('node:child_process').ChildProcess} */ (slot.child);
    slot.killing = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
    slot.killing = false;
    if (!this.stopping) this.spawn(slot);
    return `${slot.name} (pid ${child.pid})`;
  }

  /** Resident memory of each slot's current process, in MB (null when none runs). */
  memory() {
    return this.slots.map((slot) => ({ name: slot.name, pid: slot.child?.pid ?? null, starts: slot.starts, ...(memoryOf(slot.child?.pid) ?? { rss: null, peak: null }) }));
  }

  /** SIGTERM to all (each must exit within 10 s), SIGKILL after that. @returns exit codes by slot */
  async stop() {
    this.stopping = true;
    for (const slot of this.slots) if (slot.restartTimer) clearTimeout(slot.restartTimer);
    const results = await Promise.all(
      this.slots.map(async (slot) => {
        const child = slot.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return { name: slot.name, code: null, signal: 'not running' };
        const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
        const { code, signal } = /** @type {{ code: number | null, signal: string | null }} */ (await exited);
        clearTimeout(timer);
        return { name: slot.name, code, signal };
      }),
    );
    await sleep(50);
    return results;
  }
}

/** The line of a dying process's last output that best says why: its last error, else its last line. */
function lastLine(tail) {
  const lines = tail.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').filter(Boolean);
  const line = lines.findLast((l) => /Error:|failed to start|"level":(50|60)/.test(l)) ?? lines.at(-1) ?? '(no output)';
  try {
    const parsed = JSON.parse(line); // pino JSON lines
    return String(parsed.err?.message ?? parsed.msg ?? line).slice(0, 200);
  } catch {
    return line.trim().slice(0, 200);
  }
}
