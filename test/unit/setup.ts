// Unit tests run the engine on fake-indexeddb (DESIGN §6): a real IndexedDB implementation in memory.
import 'fake-indexeddb/auto';
