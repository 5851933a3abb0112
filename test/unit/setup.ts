// Unit tests run the engine on fake-indexeddb (DESIGN §6): a real IndexedDB implementation in memory.
import 'fake-indexeddb/auto';

// Node 20 has no `navigator` (Node 21+ and every browser do); PouchDB's IndexedDB adapter reads its userAgent.
(globalThis as { navigator?: unknown }).navigator ??= { userAgent: `Node.js/${process.versions.node}` };
