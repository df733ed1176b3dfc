// Decorator metadata must be available before any decorated class is evaluated.
import 'reflect-metadata';
export * from './entities/index.js';
export * from './data-source-options.js';
