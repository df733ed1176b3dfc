/**
 * What happened when, relative to the start of the run: printed as it happens and kept, so the
 * report can show the faults next to the load and a failure can be matched to the app logs.
 */
import { appendFileSync } from 'node:fs';

export class Timeline {
  /** @param {string} file where every line is appended as well */
  constructor(file) {
    this.file = file;
    this.started = performance.now();
    /** @type {{ t: number, message: string }[]} */
    this.entries = [];
  }

  /** Seconds since the run started. */
  now() {
    return (performance.now() - this.started) / 1000;
  }

  /** @param {string} message */
  log(message) {
    const t = this.now();
    this.entries.push({ t, message });
    const line = `[${t.toFixed(1).padStart(6)} s] ${message}`;
    console.log(line);
    appendFileSync(this.file, `${line}\n`);
  }
}
