import { createRequire } from 'node:module';

/**
 * dynalite keeps an in-memory table in memory-level, which stores each key and value as a small
 * Buffer cut from Node's shared 8 KB slabs: an item kept alive can pin a whole slab. Stored as
 * strings they cost their size. Only an in-memory table (the simulation's) is affected; its keys
 * then order by UTF-16 code unit, which differs from DynamoDB's UTF-8 byte order only past U+FFFF.
 * Imported before anything loads dynalite, which takes MemoryLevel as it loads.
 */
const require = createRequire(import.meta.url);
const memoryLevel = createRequire(require.resolve('dynalite'))('memory-level') as {
  MemoryLevel: new (options?: Record<string, unknown>) => object;
};
const { MemoryLevel } = memoryLevel;
memoryLevel.MemoryLevel = class extends MemoryLevel {
  constructor(options?: Record<string, unknown>) {
    super({ storeEncoding: 'utf8', ...options });
  }
};
