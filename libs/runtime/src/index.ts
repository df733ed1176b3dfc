export * from './close-on-signals.js';
export * from './logging/logger.module.js';
export * from './metrics/metrics.module.js';
export * from './health/broker-connection.js';
export * from './health/health.controller.js';
