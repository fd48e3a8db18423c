import { PostgresKeyStore } from '../../src/postgres/index.js';
import { connect, describeWithPostgres, dropSchema, testSchema } from '../postgres/support.js';
import { keyStoreConformance } from './key-store.js';

describeWithPostgres('PostgresKeyStore against a live PostgreSQL', () => {
  keyStoreConformance('PostgresKeyStore', async () => {
    const pool = connect();
    const schema = testSchema();
    const store = new PostgresKeyStore({ pool, schema, touchFlushMs: 60_000 });
    await store.migrate();
    return {
      store,
      flush: () => store.flush(),
      close: async () => {
        try {
          await store.close();
        } finally {
          await dropSchema(schema);
          await pool.end();
        }
      },
    };
  });
});
