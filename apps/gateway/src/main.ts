import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeOnSignals } from '#app/runtime';
import { ConfigError, GatewaySettings, loadConfig } from '#app/config';
import { GatewayModule } from './gateway.module.js';
import { requireAccessToken } from './http/access-token.js';
import { API_PREFIX, BODY_LIMIT_BYTES, parseQueryString } from './http/fastify-setup.js';

async function bootstrap(): Promise<void> {
  const settings = loadConfig(GatewaySettings);
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, routerOptions: { querystringParser: parseQueryString } });
  requireAccessToken(adapter.getInstance(), API_PREFIX);
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(settings), adapter);
  closeOnSignals(app, 'gateway');
  await app.listen(settings.PORT, settings.HOST);
  new Logger('Gateway').log(`API listening on http://${settings.HOST === '0.0.0.0' ? '127.0.0.1' : settings.HOST}:${settings.PORT}/api/v1`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('gateway failed to start:', error);
  process.exit(1);
});
