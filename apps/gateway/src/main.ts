import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, pinoOptions, QUIET_ROUTES, REQUEST_ID_HEADER, requestIdFrom } from '#app/runtime';
import { ConfigError, GatewaySettings, loadConfig } from '#app/config';
import { GatewayModule } from './gateway.module.js';
import { requireAccessToken } from './http/access-token.js';
import { acceptJsonBodiesOnly, API_PREFIX, BODY_LIMIT_BYTES, closeConnectionsWhenDraining, parseQueryString } from './http/fastify-setup.js';
import { setupOpenApi } from './http/openapi.js';
import { echoRequestId } from './http/request-id.js';
import { setupSecurity } from './http/security.js';
import { GatewayMetrics } from './observability/gateway-metrics.js';

async function bootstrap(): Promise<void> {
  const settings = loadConfig(GatewaySettings);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { querystringParser: parseQueryString },
    // The request id: the caller's X-Request-Id when it is a sane one, else a new UUID.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    // One JSON line per request, with that id as reqId; probes and scrapes are not logged.
    logger: pinoOptions('gateway'),
    disableRequestLogging: (request) => QUIET_ROUTES.test(request.url),
  });
  setupSecurity(adapter, settings);
  echoRequestId(adapter.getInstance());
  requireAccessToken(adapter.getInstance(), API_PREFIX);
  acceptJsonBodiesOnly(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(settings), adapter, { bufferLogs: true, bodyParser: false });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.get(GatewayMetrics).instrument(adapter.getInstance());
  setupOpenApi(app);
  closeOnSignals(app, 'gateway', { beforeClose: closeConnectionsWhenDraining(adapter.getInstance()) });
  await app.listen(settings.PORT, settings.HOST);
  logger.log(`API listening on http://${settings.HOST === '0.0.0.0' ? '127.0.0.1' : settings.HOST}:${settings.PORT}/api/v1`, 'Gateway');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('gateway failed to start:', error);
  process.exit(1);
});
