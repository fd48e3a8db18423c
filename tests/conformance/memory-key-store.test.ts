import { MemoryKeyStore } from '../../src/index.js';
import { keyStoreConformance } from './key-store.js';

keyStoreConformance('MemoryKeyStore', () =>
  Promise.resolve({ store: new MemoryKeyStore(), close: () => Promise.resolve() }),
);
