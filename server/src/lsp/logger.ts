// Logging to the client's output channel (the "Hotpath" channel in VS Code).
import type { Connection } from 'vscode-languageserver';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function connectionLogger(connection: Connection): Logger {
  return {
    info: (m) => connection.console.info(m),
    warn: (m) => connection.console.warn(m),
    error: (m) => connection.console.error(m),
  };
}

/** Wraps a handler so that an exception is logged and answered with `fallback`, never fatal. */
export function guard<A extends unknown[], R>(log: Logger, name: string, fallback: R, handler: (...args: A) => R | Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } catch (err) {
      log.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}
