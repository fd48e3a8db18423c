/**
 * keyward/postgres — the PostgreSQL key store for APIs running on several instances. `pg` is an
 * optional peer dependency, imported here only for its types: this entry never loads it.
 * @packageDocumentation
 */
export { PostgresKeyStore } from './postgres-key-store.js';
export type { PostgresKeyStoreOptions, PostgresPool } from './options.js';
export { PostgresKeyStoreError } from './errors.js';
export type { MigrationResult } from './migrations.js';
