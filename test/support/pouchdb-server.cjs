// Starts `pouchdb-server` (the CouchDB-compatible test server, see couch-server.ts) with one fix to
// its validation plugin, pouchdb-validation 4.2: before it runs validate_doc_update it sets the new
// document's `_revisions` to the old one's. For replicated writes (new_edits=false) that replaces the
// incoming revision's history with the stored one, so every replicated update of an existing
// document into a database that has a validation function is silently dropped. Apache CouchDB does
// not do this; the fix keeps a `_revisions` the document brought along. Arguments go to pouchdb-server.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');

// The plugin is also bundled into other packages of the server (pouchdb-auth, pouchdb-replicator):
// every copy gets the fix.
const broken = 'newDoc._revisions = (oldDoc || {})._revisions;';
const fixed = 'if (!newDoc._revisions) newDoc._revisions = (oldDoc || {})._revisions;';
let fixes = 0;
const original = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) {
  if (!/[\\/]node_modules[\\/]pouchdb-/.test(filename)) return original(module, filename);
  const source = fs.readFileSync(filename, 'utf8');
  if (!source.includes(broken)) return original(module, filename);
  fixes++;
  module._compile(source.split(broken).join(fixed), filename);
};
process.on('exit', () => {
  if (fixes === 0) console.error('pouchdb-server.cjs: the validation fix found nothing to fix (pouchdb-validation changed?)');
});
require('pouchdb-server/bin/pouchdb-server');
