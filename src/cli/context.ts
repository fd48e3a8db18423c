import type { KeyManager } from '../keys/manager.js';
import type { PostgresKeyStore } from '../postgres/index.js';
import type { Parsed } from './args.js';
import type { CliIo } from './io.js';

/** What a command runs with. */
export interface CommandContext {
  parsed: Parsed;
  io: CliIo;
  store: PostgresKeyStore;
  manager: KeyManager;
  now(): number;
  json: boolean;
}
