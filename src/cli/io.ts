import type { PostgresKeyStore } from '../postgres/index.js';
import type { Clock } from '../types.js';

/** Where the CLI writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  /** Results: secrets, tables, JSON. */
  stdout(text: string): void;
  /** Warnings, summaries and errors. */
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** @defaultValue `Date.now` */
  clock?: Clock;
}

/** An open store and how to release it. */
export interface OpenStore {
  store: PostgresKeyStore;
  close(): Promise<void>;
}

/**
 * An error the CLI reports as one line, without a stack. `usage` errors exit with 2 and point
 * to `--help`; others exit with 1.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
  };
}
