export * from './close-on-signals.js';
