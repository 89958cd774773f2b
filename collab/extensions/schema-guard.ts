import type { afterLoadDocumentPayload, beforeHandleMessagePayload, Document, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import { IncrementalSchemaCheck, repairSchemaViolations } from '../schema/index.ts';
import { extractUpdate } from './persistence.ts';
import { errorFields, log } from '../../server/log.ts';
import type { DocumentStore } from '../../server/documents/store.ts';

/** Close event for a refused update: the client's content does not fit the editor schema. */
export const SCHEMA_VIOLATION = { code: 4422, reason: 'schema-violation' };

const MIRROR = Symbol('schema-guard-mirror');
/** Origin of the changes a repair makes (a server-side edit, broadcast like any other). */
export const REPAIR = { source: 'local', reason: 'schema-repair' } as const;

/** A copy of a live document that updates are tried on first, with its change checker. */
type Shadow = { doc: Y.Doc; check: IncrementalSchemaCheck; stopMirroring: () => void };

/**
 * Keeps content that breaks the editor schema out of every document. Each loaded document has a
 * shadow copy; an incoming update is applied to the shadow first and only what it touched is
 * checked. If the result no longer fits the schema, the update is neither applied, stored, nor
 * broadcast, that one connection is closed, and the shadow is rebuilt from the real document.
 * Runs before persistence (higher priority), so a refused update never reaches the log.
 *
 * A document that breaks the schema when it is loaded (old data) is repaired before anyone
 * gets it, and the repair is stored; it is never exempted from the checks. One the repair
 * cannot fix is quarantined: it does not open for editing (readers of the API still get what
 * fits the schema), and the operator log says so.
 */
export class SchemaGuard implements Extension {
	extensionName = 'fangkong-schema-guard';
	priority = 1100;
	// Keyed weakly: a shadow goes with its document when Hocuspocus unloads it.
	private shadows = new WeakMap<Document, Shadow>();
	private store: Pick<DocumentStore, 'append'>;

	constructor(store: Pick<DocumentStore, 'append'>) {
		this.store = store;
	}

	async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload) {
		await this.repair(document, documentName);
		this.shadows.set(document, this.shadowOf(document));
	}

	async beforeHandleMessage({ update, document, documentName, connection, context }: beforeHandleMessagePayload) {
		if (connection.readOnly) return;
		const yUpdate = extractUpdate(update);
		if (!yUpdate || yUpdate.length <= 2) return;
		let shadow = this.shadows.get(document);
		if (!shadow) this.shadows.set(document, (shadow = this.shadowOf(document)));
		let problem: string | null;
		try {
			problem = shadow.check.apply(yUpdate, MIRROR);
		} catch (err) {
			problem = `unreadable update: ${errorFields(err).error}`;
		}
		if (problem) {
			// The shadow now holds the refused change: start it again from the real document.
			this.drop(document, shadow);
			log.warn('refused update that breaks the schema', { doc: documentName, user: context?.user?.username, problem });
			throw Object.assign(new Error(problem), SCHEMA_VIOLATION);
		}
	}

	/**
	 * Rebuilds what does not fit through the schema, as server-side changes to the live document
	 * (clients that hold an old copy converge on the result), and appends them to the document's
	 * log: persistence starts listening for server-side changes only after this hook.
	 */
	private async repair(document: Document, documentName: string) {
		const changes: Uint8Array[] = [];
		const collect = (u: Uint8Array) => changes.push(u);
		document.on('update', collect);
		let result: ReturnType<typeof repairSchemaViolations>;
		try {
			result = repairSchemaViolations(document, REPAIR);
		} catch (err) {
			result = { found: 'unknown', left: `repair failed: ${errorFields(err).error}` };
		} finally {
			document.off('update', collect);
			// Hocuspocus merges the updates of one event-loop turn into one broadcast, which would
			// carry the repair's deep deletions at once (see deleteSafely) to the first clients that
			// connect. Nobody is connected while a document loads: send the batch to nobody now.
			document.flush();
		}
		for (const u of changes) await this.store.append(documentName, u);
		if (!result) return;
		if (result.left) {
			log.error('document breaks the schema and could not be repaired: quarantined, not opened for editing', { doc: documentName, ...result });
			// Hocuspocus answers the connection with this reason (permission denied) and unloads the document.
			throw Object.assign(new Error('document quarantined'), { reason: 'document-quarantined' });
		}
		log.warn('document broke the schema when loaded: repaired', { doc: documentName, found: result.found, changes: changes.length });
	}

	private shadowOf(document: Document): Shadow {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(document), MIRROR);
		const check = new IncrementalSchemaCheck(doc);
		// Whatever the real document accepts (also from the server itself) reaches the shadow;
		// updates the shadow already has are no-ops.
		const mirror = (u: Uint8Array) => Y.applyUpdate(doc, u, MIRROR);
		document.on('update', mirror);
		return { doc, check, stopMirroring: () => document.off('update', mirror) };
	}

	private drop(document: Document, shadow: Shadow) {
		shadow.stopMirroring();
		shadow.check.destroy();
		shadow.doc.destroy();
		this.shadows.delete(document);
	}
}
