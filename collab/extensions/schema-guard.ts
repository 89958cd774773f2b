import type { afterLoadDocumentPayload, beforeHandleMessagePayload, Document, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import { IncrementalSchemaCheck, schemaViolation } from '../schema/index.ts';
import { extractUpdate } from './persistence.ts';
import { errorFields, log } from '../../server/log.ts';

/** Close event for a refused update: the client's content does not fit the editor schema. */
export const SCHEMA_VIOLATION = { code: 4422, reason: 'schema-violation' };

const MIRROR = Symbol('schema-guard-mirror');

/** A copy of a live document that updates are tried on first, with its change checker. */
type Shadow = { doc: Y.Doc; check: IncrementalSchemaCheck; stopMirroring: () => void };

/**
 * Keeps content that breaks the editor schema out of every document. Each loaded document has a
 * shadow copy; an incoming update is applied to the shadow first and only what it touched is
 * checked. If the result no longer fits the schema, the update is neither applied, stored, nor
 * broadcast, that one connection is closed, and the shadow is rebuilt from the real document.
 * Runs before persistence (higher priority), so a refused update never reaches the log.
 */
export class SchemaGuard implements Extension {
	extensionName = 'fangkong-schema-guard';
	priority = 1100;
	// Keyed weakly: a shadow goes with its document when Hocuspocus unloads it.
	private shadows = new WeakMap<Document, Shadow>();
	// Documents that already broke the schema when loaded (old data): they are not frozen, only logged.
	private legacyInvalid = new WeakSet<Y.Doc>();

	async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload) {
		const problem = schemaViolation(document);
		if (problem) {
			this.legacyInvalid.add(document);
			log.warn('document loaded with schema violations', { doc: documentName, problem });
			return;
		}
		this.shadows.set(document, this.shadowOf(document));
	}

	async beforeHandleMessage({ update, document, documentName, connection, context }: beforeHandleMessagePayload) {
		if (connection.readOnly || this.legacyInvalid.has(document)) return;
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
