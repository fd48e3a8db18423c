import { MemoryCounterStore } from '../../src/index.js';
import { counterStoreConformance } from './counter-store.js';

counterStoreConformance('MemoryCounterStore', () =>
  Promise.resolve({ store: new MemoryCounterStore(), close: () => Promise.resolve() }),
);
