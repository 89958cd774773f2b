import * as Y from 'yjs';

/**
 * Whether applying `update` to `doc` would change it: the update holds a struct the document
 * does not have, or deletes something not deleted yet. A tab that reconnects with local history
 * sends its whole delete set every time; this tells such a no-op apart from an edit.
 *
 * The cost follows the update, not the document: the update is decoded once, and each delete
 * range is looked up by binary search in the document's struct store (no snapshot of the whole
 * document, unlike `Y.snapshotContainsUpdate`). A keystroke answers on its first new struct.
 */
export function changesDocument(doc: Y.Doc, update: Uint8Array): boolean {
	const { structs, ds } = Y.decodeUpdate(update);
	for (const s of structs) {
		if (s instanceof Y.Skip) continue;
		if (s.id.clock + s.length > Y.getState(doc.store, s.id.client)) return true;
	}
	for (const [client, ranges] of ds.clients) {
		const known = doc.store.clients.get(client);
		const state = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			if (len === 0) continue;
			// Deletes content this document has not received yet: Yjs keeps it pending, so it counts.
			if (!known || clock + len > state) return true;
			for (let i = Y.findIndexSS(known, clock); i < known.length && known[i].id.clock < clock + len; i++) {
				if (!known[i].deleted) return true;
			}
		}
	}
	return false;
}
