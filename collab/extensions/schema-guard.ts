import type { afterLoadDocumentPayload, beforeHandleMessagePayload, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import { schemaViolation } from '../schema/index.ts';
import { extractUpdate } from './persistence.ts';
import { log } from '../../server/log.ts';

/** Close event for a refused update: the client's content does not fit the editor schema. */
export const SCHEMA_VIOLATION = { code: 4422, reason: 'schema-violation' };

/**
 * Keeps content that breaks the editor schema out of every document. Each incoming update is
 * tried on a copy of the document first; if the result no longer fits the schema, the update
 * is neither applied, stored, nor broadcast, and that one connection is closed. Runs before
 * persistence (higher priority), so a refused update never reaches the log.
 */
export class SchemaGuard implements Extension {
	extensionName = 'fangkong-schema-guard';
	priority = 1100;
	// Documents that already broke the schema when loaded (old data): they are not frozen, only logged.
	private legacyInvalid = new WeakSet<Y.Doc>();

	async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload) {
		const problem = schemaViolation(document);
		if (problem) {
			this.legacyInvalid.add(document);
			log.warn('document loaded with schema violations', { doc: documentName, problem });
		}
	}

	async beforeHandleMessage({ update, document, documentName, connection, context }: beforeHandleMessagePayload) {
		if (connection.readOnly || this.legacyInvalid.has(document)) return;
		const yUpdate = extractUpdate(update);
		if (!yUpdate || yUpdate.length <= 2) return;
		const candidate = new Y.Doc();
		let problem: string | null;
		try {
			Y.applyUpdate(candidate, Y.encodeStateAsUpdate(document));
			Y.applyUpdate(candidate, yUpdate);
			problem = schemaViolation(candidate);
		} catch (err) {
			problem = `unreadable update: ${err instanceof Error ? err.message : String(err)}`;
		} finally {
			candidate.destroy();
		}
		if (problem) {
			log.warn('refused update that breaks the schema', { doc: documentName, user: context?.user?.username, problem });
			throw Object.assign(new Error(problem), SCHEMA_VIOLATION);
		}
	}
}
