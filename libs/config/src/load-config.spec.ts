import { ConfigError, DatabaseSettings, GatewaySettings, loadConfig, WorkerSettings } from '#app/config';

/** The ConfigError that `load` throws (fails the test when it throws nothing or something else). */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig(GatewaySettings)', () => {
  it('has the defaults of SPEC 2', () => {
    const settings = loadConfig(GatewaySettings, {});
    expect(settings).toBeInstanceOf(GatewaySettings);
    expect(settings).toMatchObject({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      RMQ_QUEUE: 'conversations',
      PORT: 3000,
      RPC_TIMEOUT_MS: 10_000,
    });
  });

  it('has the defaults of its own settings', () => {
    expect(loadConfig(GatewaySettings, {})).toMatchObject({ HOST: '0.0.0.0', RMQ_QUEUE_TYPE: 'classic' });
  });

  it('reads no database settings (the gateway touches no database)', () => {
    expect(loadConfig(GatewaySettings, {})).not.toHaveProperty('DATABASE_URL');
  });

  it('takes the variables that are set, as numbers where numbers are meant', () => {
    const settings = loadConfig(GatewaySettings, {
      AMQP_URL: 'amqps://user:secret@broker.internal:5671/vhost',
      RMQ_QUEUE: 'conversations-staging',
      RMQ_QUEUE_TYPE: 'quorum',
      PORT: '8080',
      HOST: '127.0.0.1',
      RPC_TIMEOUT_MS: '2500',
    });
    expect({ ...settings }).toEqual({
      AMQP_URL: 'amqps://user:secret@broker.internal:5671/vhost',
      RMQ_QUEUE: 'conversations-staging',
      RMQ_QUEUE_TYPE: 'quorum',
      PORT: 8080,
      HOST: '127.0.0.1',
      RPC_TIMEOUT_MS: 2500,
      RATE_LIMIT_IP_PER_MINUTE: 3000,
      RATE_LIMIT_TOKEN_PER_MINUTE: 3000,
      CORS_ORIGINS: '',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(GatewaySettings, { PORT: '', AMQP_URL: '' })).toMatchObject({ PORT: 3000, AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' });
  });

  it('reads only the variables it declares', () => {
    const settings = loadConfig(GatewaySettings, { DATABASE_URL: 'not even a url', PATH: '/usr/bin', PORT: '3001' });
    expect(settings.PORT).toBe(3001);
    expect(settings).not.toHaveProperty('DATABASE_URL');
    expect(settings).not.toHaveProperty('PATH');
  });

  it('reads process.env by default', () => {
    const saved = process.env.RPC_TIMEOUT_MS;
    process.env.RPC_TIMEOUT_MS = '1234';
    try {
      expect(loadConfig(GatewaySettings).RPC_TIMEOUT_MS).toBe(1234);
    } finally {
      if (saved === undefined) delete process.env.RPC_TIMEOUT_MS;
      else process.env.RPC_TIMEOUT_MS = saved;
    }
  });

  it('accepts the port limits 0 and 65535', () => {
    expect(loadConfig(GatewaySettings, { PORT: '0' }).PORT).toBe(0);
    expect(loadConfig(GatewaySettings, { PORT: '65535' }).PORT).toBe(65535);
  });

  it.each([['abc'], ['80a'], ['3000.5'], ['-1'], ['65536'], ['NaN']])('refuses PORT=%s, naming PORT', (port) => {
    const error = configError(() => loadConfig(GatewaySettings, { PORT: port }));
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(`Invalid configuration:\n  PORT=${JSON.stringify(port)}: must be an integer between 0 and 65535`);
  });

  it.each([['not a url'], ['localhost:5672'], ['http://127.0.0.1:5672'], ['amqp://'], ['amqp//host']])('refuses AMQP_URL=%s, naming AMQP_URL', (url) => {
    const error = configError(() => loadConfig(GatewaySettings, { AMQP_URL: url }));
    expect(error.message).toBe(`Invalid configuration:\n  AMQP_URL=${JSON.stringify(url)}: must be a URL starting with amqp:// or amqps://`);
  });

  it.each([['0'], ['600001'], ['ten'], ['1.5']])('refuses RPC_TIMEOUT_MS=%s', (value) => {
    const error = configError(() => loadConfig(GatewaySettings, { RPC_TIMEOUT_MS: value }));
    expect(error.message).toBe(`Invalid configuration:\n  RPC_TIMEOUT_MS=${JSON.stringify(value)}: must be an integer between 1 and 600000`);
  });

  it('refuses a queue name with spaces, naming RMQ_QUEUE', () => {
    const error = configError(() => loadConfig(GatewaySettings, { RMQ_QUEUE: 'my queue' }));
    expect(error.message).toBe('Invalid configuration:\n  RMQ_QUEUE="my queue": must be 1-200 letters, digits or _ . : -');
  });

  it('refuses an unknown queue type, naming RMQ_QUEUE_TYPE', () => {
    const error = configError(() => loadConfig(GatewaySettings, { RMQ_QUEUE_TYPE: 'stream' }));
    expect(error.message).toBe('Invalid configuration:\n  RMQ_QUEUE_TYPE="stream": must be one of classic, quorum');
  });

  it('names every bad variable at once', () => {
    const error = configError(() => loadConfig(GatewaySettings, { PORT: 'x', AMQP_URL: 'nope', RPC_TIMEOUT_MS: '5' }));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).sort()).toEqual(
      ['  AMQP_URL="nope": must be a URL starting with amqp:// or amqps://', '  PORT="x": must be an integer between 0 and 65535'].sort(),
    );
  });
});

describe('loadConfig(GatewaySettings): rate limits and CORS', () => {
  it("defaults to Chatwoot's 3,000 requests a minute per IP and per token, and CORS off", () => {
    expect(loadConfig(GatewaySettings, {})).toMatchObject({ RATE_LIMIT_IP_PER_MINUTE: 3000, RATE_LIMIT_TOKEN_PER_MINUTE: 3000, CORS_ORIGINS: '' });
  });

  it('takes limits, 0 (off) included', () => {
    expect(loadConfig(GatewaySettings, { RATE_LIMIT_IP_PER_MINUTE: '120', RATE_LIMIT_TOKEN_PER_MINUTE: '0' })).toMatchObject({
      RATE_LIMIT_IP_PER_MINUTE: 120,
      RATE_LIMIT_TOKEN_PER_MINUTE: 0,
    });
  });

  it.each([['-1'], ['1e3'], ['ten'], ['100000001'], ['2.5']])('refuses RATE_LIMIT_IP_PER_MINUTE=%s and RATE_LIMIT_TOKEN_PER_MINUTE=%s', (value) => {
    const error = configError(() => loadConfig(GatewaySettings, { RATE_LIMIT_IP_PER_MINUTE: value, RATE_LIMIT_TOKEN_PER_MINUTE: value }));
    expect(error.message.split('\n').slice(1).sort()).toEqual([
      `  RATE_LIMIT_IP_PER_MINUTE=${JSON.stringify(value)}: must be an integer between 0 and 100000000`,
      `  RATE_LIMIT_TOKEN_PER_MINUTE=${JSON.stringify(value)}: must be an integer between 0 and 100000000`,
    ]);
  });

  it.each([['*'], ['https://app.example.com'], ['https://app.example.com,http://localhost:8080'], [' https://a.example , https://b.example:8443 ']])(
    'takes CORS_ORIGINS=%j',
    (origins) => {
      expect(loadConfig(GatewaySettings, { CORS_ORIGINS: origins }).CORS_ORIGINS).toBe(origins);
    },
  );

  it.each([['app.example.com'], ['https://app.example.com/'], ['https://app.example.com/path'], ['*,https://a.example'], ['ftp://a.example'], ['https://a.example,,'], ['null']])(
    'refuses CORS_ORIGINS=%j, naming CORS_ORIGINS',
    (origins) => {
      const error = configError(() => loadConfig(GatewaySettings, { CORS_ORIGINS: origins }));
      expect(error.message).toBe(
        `Invalid configuration:\n  CORS_ORIGINS=${JSON.stringify(origins)}: must be empty, * or a comma-separated list of origins such as https://app.example.com`,
      );
    },
  );
});

describe('loadConfig(WorkerSettings)', () => {
  it('has the defaults of SPEC 2', () => {
    const settings = loadConfig(WorkerSettings, {});
    expect(settings).toBeInstanceOf(WorkerSettings);
    expect(settings).toMatchObject({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      RMQ_QUEUE: 'conversations',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conversations',
      EVENTS_EXCHANGE: 'conversations.events',
    });
  });

  it('has the defaults of its own settings', () => {
    expect(loadConfig(WorkerSettings, {})).toMatchObject({ RMQ_QUEUE_TYPE: 'classic', WORKER_PREFETCH: 20, DB_POOL_SIZE: 10 });
  });

  it('reads no HTTP settings', () => {
    const settings = loadConfig(WorkerSettings, { PORT: 'not a number' });
    expect(settings).not.toHaveProperty('PORT');
    expect(settings).not.toHaveProperty('RPC_TIMEOUT_MS');
  });

  it('takes overrides', () => {
    const settings = loadConfig(WorkerSettings, {
      DATABASE_URL: 'postgresql://app:pw@db.internal:6432/conv?sslmode=require',
      AMQP_URL: 'amqp://guest:guest@rabbitmq:5672',
      RMQ_QUEUE: 'q',
      EVENTS_EXCHANGE: 'events.v2',
      WORKER_PREFETCH: '50',
      DB_POOL_SIZE: '4',
    });
    expect(settings).toMatchObject({
      DATABASE_URL: 'postgresql://app:pw@db.internal:6432/conv?sslmode=require',
      AMQP_URL: 'amqp://guest:guest@rabbitmq:5672',
      RMQ_QUEUE: 'q',
      EVENTS_EXCHANGE: 'events.v2',
      WORKER_PREFETCH: 50,
      DB_POOL_SIZE: 4,
    });
  });

  it.each([['http://127.0.0.1:5432/conversations'], ['mysql://localhost/db'], ['not a url'], ['postgres://'], ['127.0.0.1:5432']])(
    'refuses DATABASE_URL=%s, naming DATABASE_URL',
    (url) => {
      const error = configError(() => loadConfig(WorkerSettings, { DATABASE_URL: url }));
      expect(error.message).toBe(`Invalid configuration:\n  DATABASE_URL=${JSON.stringify(url)}: must be a URL starting with postgres:// or postgresql://`);
    },
  );

  it('refuses a prefetch of 0, naming WORKER_PREFETCH', () => {
    const error = configError(() => loadConfig(WorkerSettings, { WORKER_PREFETCH: '0' }));
    expect(error.message).toBe('Invalid configuration:\n  WORKER_PREFETCH="0": must be an integer between 1 and 1000');
  });

  it('refuses a bad events exchange, naming EVENTS_EXCHANGE', () => {
    const error = configError(() => loadConfig(WorkerSettings, { EVENTS_EXCHANGE: 'a/b' }));
    expect(error.message).toContain('EVENTS_EXCHANGE="a/b"');
  });
});

describe('loadConfig(DatabaseSettings)', () => {
  it('has the default of SPEC 2', () => {
    expect({ ...loadConfig(DatabaseSettings, {}) }).toEqual({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conversations' });
  });

  it('takes an override and nothing else', () => {
    const settings = loadConfig(DatabaseSettings, { DATABASE_URL: 'postgres://postgres:postgres@postgres:5432/conversations', PORT: 'x' });
    expect({ ...settings }).toEqual({ DATABASE_URL: 'postgres://postgres:postgres@postgres:5432/conversations' });
  });

  it('refuses an http:// URL, naming DATABASE_URL', () => {
    const error = configError(() => loadConfig(DatabaseSettings, { DATABASE_URL: 'http://postgres:5432/conversations' }));
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(
      'Invalid configuration:\n  DATABASE_URL="http://postgres:5432/conversations": must be a URL starting with postgres:// or postgresql://',
    );
  });
});
