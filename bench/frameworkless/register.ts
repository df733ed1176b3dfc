/** `node --import .../register.js`: installs hooks.ts before the frameworkless processes load anything. */
import { register } from 'node:module';

register('./hooks.js', import.meta.url);
