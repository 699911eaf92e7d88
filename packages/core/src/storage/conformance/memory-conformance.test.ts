import { MemoryAdapter } from '../memory/memory-adapter';
import { describeStorageConformance } from './storage-conformance';

describeStorageConformance('memory', () => new MemoryAdapter(), { reopen: async (previous) => previous });
