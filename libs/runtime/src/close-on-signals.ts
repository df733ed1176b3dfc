export interface Closable {
  close(): Promise<void>;
}

/**
 * SIGTERM / SIGINT: stop taking work, let what is in flight finish (the app's close does both), and
 * exit 0; exit 1 if that takes longer than `timeoutMs` (SPEC 2: within 10 s). Nest's own shutdown
 * hooks re-raise the signal after closing, which makes the exit status a signal, not 0.
 */
export function closeOnSignals(app: Closable, name: string, options: { timeoutMs?: number; beforeClose?: () => void } = {}): void {
  const { timeoutMs = 9_000, beforeClose } = options;
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.log(`${name}: ${signal} received, finishing in-flight work`);
    beforeClose?.();
    const watchdog = setTimeout(() => {
      console.error(`${name}: shutdown took longer than ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    watchdog.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name}: shutdown failed:`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
