import { RedisCounterStore } from '../../src/redis/index.js';
import {
  connect,
  deleteUnder,
  describeWithRedis,
  keysWithoutTtl,
  testPrefix,
} from '../redis/support.js';
import { counterStoreConformance } from './counter-store.js';

describeWithRedis('RedisCounterStore against a live Redis', () => {
  counterStoreConformance('RedisCounterStore', () => {
    const client = connect();
    const prefix = testPrefix();
    return Promise.resolve({
      store: new RedisCounterStore({ client, prefix }),
      keysWithoutTtl: () => keysWithoutTtl(client, prefix),
      close: async () => {
        await deleteUnder(client, prefix);
        await client.quit();
      },
    });
  });
});
