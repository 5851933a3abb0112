// PouchDB's packages ship no types; engine/sync/pouch.ts types the part of the API it uses.
declare module 'pouchdb-core';
declare module 'pouchdb-adapter-idb';
declare module 'pouchdb-adapter-http';
declare module 'pouchdb-replication';
