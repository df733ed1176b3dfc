/**
 * The examples a stranger gets, run as written against this run's gateway and worker:
 * - examples/python (pika, Debian's python3-pika): an RPC list, an RPC create and an event create, and
 *   a subscriber that sees both creates announced;
 * - examples/typescript: types generated from the running gateway's /docs/openapi.json by
 *   openapi-typescript, the client compiled by tsc (the README's example bodies included) and run.
 * Creates go to account 4 only.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { appEnv, e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { ROOT, waitFor } from '../support/processes.mjs';

const ACCOUNT = 4;
const INBOX = 5;
const CONTACT = 16;
/** Debian's interpreter, which has python3-pika (.ci/run installs it); another python3 on PATH may not. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const run = promisify(execFile);
const jsonLines = (text: string) => text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, any>);

/** A long-running example: its stdout as JSON lines, as they come. */
class Running {
  readonly lines: Record<string, any>[] = [];
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(command: string, args: string[], env: Record<string, string>) {
    this.child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.lines.push(JSON.parse(line) as Record<string, any>));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  async waitForLine(what: string, match: (line: Record<string, any>) => boolean, timeoutMs = 20_000): Promise<Record<string, any>> {
    await waitFor(what, async () => this.lines.some(match) || this.child.exitCode !== null, timeoutMs);
    const found = this.lines.find(match);
    if (!found) throw new Error(`${what}: the example ended (${this.child.exitCode}): ${this.stderr}`);
    return found;
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

describe('examples/python (pika), from docs/asyncapi.yaml', () => {
  const { amqpUrl, queue } = e2eEnvironment();
  const marker = `python-${randomUUID()}`;
  let subscriber: Running;
  let published: Record<string, any>[];

  beforeAll(async () => {
    subscriber = new Running(PYTHON, [path.join(ROOT, 'examples/python/subscriber.py')], { AMQP_URL: amqpUrl, EVENTS_EXCHANGE: appEnv().EVENTS_EXCHANGE });
    await subscriber.waitForLine('the subscriber to listen', (line) => 'listening' in line);
    const { stdout } = await run(PYTHON, [path.join(ROOT, 'examples/python/publisher.py')], {
      env: {
        ...process.env,
        AMQP_URL: amqpUrl,
        RMQ_QUEUE: queue,
        TOKEN: TOKENS.umbrellaBot,
        LIST_TOKEN: TOKENS.umbrellaAdmin,
        ACCOUNT_ID: String(ACCOUNT),
        INBOX_ID: String(INBOX),
        CONTACT_ID: String(CONTACT),
        MARKER: marker,
      },
      timeout: 30_000,
    });
    published = jsonLines(stdout);
  });
  afterAll(() => subscriber?.stop());

  const step = (name: string): Record<string, any> => published.find((line) => line.step === name) ?? {};

  it('declares the work queue with the arguments of its channel binding, which the broker accepts', () => {
    expect(step('declared')).toEqual({
      step: 'declared',
      queue,
      arguments: { 'x-queue-type': 'classic', 'x-dead-letter-exchange': `${queue}.dlx`, 'x-dead-letter-routing-key': `${queue}.dlq` },
    });
  });

  it('gets the list over RPC', () => {
    expect(step('rpc_list').reply).toEqual({ response: { data: { meta: expect.objectContaining({ per_page: 25 }), payload: expect.any(Array) } }, isDisposed: true });
    for (const conversation of step('rpc_list').reply.response.data.payload) expect(conversation.account_id).toBe(ACCOUNT);
  });

  it('creates over RPC and gets the conversation back', () => {
    expect(step('rpc_create').reply).toEqual({
      response: expect.objectContaining({ account_id: ACCOUNT, inbox_id: INBOX, custom_attributes: { marker, via: 'rpc' } }),
      isDisposed: true,
    });
  });

  it('creates by an event, which the subscriber sees announced like the RPC create', async () => {
    expect(step('event_create')).toEqual({ step: 'event_create', message_id: expect.any(String), dead_letters: `${queue}.dlq` });
    const ours = (via: string) => (line: Record<string, any>) => line.conversation?.custom_attributes?.marker === marker && line.conversation.custom_attributes.via === via;
    const byRpc = await subscriber.waitForLine('conversation.created of the RPC create', ours('rpc'));
    const byEvent = await subscriber.waitForLine('conversation.created of the event create', ours('event'));
    expect(byRpc).toEqual({
      event: 'conversation.created',
      event_id: expect.any(String),
      message_id: byRpc.event_id,
      account_id: ACCOUNT,
      conversation: { id: step('rpc_create').reply.response.id, inbox_id: INBOX, status: 'open', custom_attributes: { marker, via: 'rpc' } },
    });
    expect(byEvent).toMatchObject({ event: 'conversation.created', account_id: ACCOUNT, conversation: { inbox_id: INBOX, status: 'open' } });
  });
});

describe('examples/typescript: a client generated from /docs/openapi.json (openapi-typescript, openapi-fetch)', () => {
  const { baseUrl } = e2eEnvironment();
  const dir = path.join(ROOT, 'dist', 'e2e-examples', 'typescript');
  const marker = `typescript-${randomUUID()}`;
  let lines: Record<string, any>[];

  beforeAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    for (const file of ['client.ts', 'tsconfig.json']) await copyFile(path.join(ROOT, 'examples/typescript', file), path.join(dir, file));
    const node = (script: string, args: string[], env: Record<string, string> = {}) =>
      run(process.execPath, [path.join(ROOT, script), ...args], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 });
    await node('node_modules/openapi-typescript/bin/cli.js', [`${baseUrl}/docs/openapi.json`, '-o', path.join(dir, 'api.d.ts')]);
    await node('node_modules/typescript/bin/tsc', ['-p', dir]).catch((error: { stdout?: string }) => {
      throw new Error(`the client does not compile against the generated types:\n${error.stdout}`);
    });
    const { stdout } = await run(process.execPath, [path.join(dir, 'client.js')], {
      env: { ...process.env, BASE_URL: baseUrl, TOKEN: TOKENS.umbrellaAdmin, ACCOUNT_ID: String(ACCOUNT), INBOX_ID: String(INBOX), CONTACT_ID: String(CONTACT), MARKER: marker },
      timeout: 30_000,
    });
    lines = jsonLines(stdout);
  }, 120_000);

  const step = (name: string): Record<string, any> => lines.find((line) => line.step === name) ?? {};

  it('lists', () => {
    expect(step('list')).toEqual({ step: 'list', status: 200, all_count: expect.any(Number), per_page: 25, ids: expect.any(Array) });
  });

  it('creates with the README example body (and its own inbox and contact), reading the attributes without a cast', () => {
    expect(step('create')).toEqual({
      step: 'create',
      status: 200,
      request_id: expect.stringMatching(/\S/),
      id: expect.any(Number),
      account_id: ACCOUNT,
      conversation_status: 'pending',
      marker,
      contact_attributes: expect.any(Object),
      first_message: 'We are on it',
    });
  });

  it('reads a typed error', () => {
    expect(step('unknown_account')).toEqual({ step: 'unknown_account', status: 404, error: 'Resource could not be found' });
  });
});
