// Decorator metadata must be available before any decorated class is evaluated.
import 'reflect-metadata';
export * from './load-config.js';
export * from './settings.js';
