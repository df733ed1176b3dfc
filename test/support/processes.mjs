import { execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The node flags every app runs with: `config.nodeFlags` of package.json, as the npm scripts and `npm start` use them.
 * @returns {string[]}
 */
export function appNodeFlags() {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return (manifest.config?.nodeFlags ?? '').split(/\s+/).filter(Boolean);
}

export const LOG_DIR = path.join(ROOT, 'dist', 'e2e-logs');

/**
 * Starts a built app (`npm test` builds first) as a child process; its output goes to dist/e2e-logs.
 * @param {'gateway' | 'worker'} name
 * @param {Record<string, string | undefined>} env
 * @param {string} [logName]
 * @returns {import('node:child_process').ChildProcess}
 */
export function startApp(name, env, logName = name) {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, `${logName}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...appNodeFlags(), path.join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null if killed).
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<number | null>}
 */
export function stopApp(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/**
 * Whether a child process has neither exited nor been killed.
 * @param {import('node:child_process').ChildProcess} child
 */
export const isRunning = (child) => child.exitCode === null && child.signalCode === null;

/**
 * Runs a built CLI command (dist/apps/cli/src/`script`) against `databaseUrl`; resolves with its
 * output, rejects with its stderr (and exit code) when it fails.
 * @param {string} script
 * @param {string[]} args
 * @param {string} databaseUrl
 * @returns {Promise<{ stdout: string; stderr: string }>}
 */
export async function runCli(script, args, databaseUrl) {
  try {
    return await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/apps/cli/src', script), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
  } catch (error) {
    throw new Error(`${script} failed (exit code ${error.code}): ${error.stderr || error.message}`);
  }
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns true or `timeoutMs` passes.
 * @param {string} what
 * @param {() => Promise<boolean>} probe
 */
export async function waitFor(what, probe, timeoutMs = 60_000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Polls `probe` like `waitFor`, but a timeout is an answer, not an error: resolves true once the probe
 * holds, false when `timeoutMs` passed first (the caller then asserts on what it sees).
 * @param {() => Promise<boolean>} probe
 */
export async function waitUntil(probe, timeoutMs) {
  return waitFor('', probe, timeoutMs).then(() => true, () => false);
}
