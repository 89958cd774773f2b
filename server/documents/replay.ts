import * as Y from 'yjs';

export type LogRow = { id: number; data: Uint8Array };
/** A log row that could not be applied (logged by the caller; the rest of the document stands). */
export type Skipped = { id: number; error: string };

/** Applies log rows to `ydoc` in order. One corrupt row must not make the whole document unreadable. */
export function applyRows(ydoc: Y.Doc, rows: LogRow[], skipped: Skipped[]): void {
	for (const row of rows) {
		try {
			Y.applyUpdate(ydoc, row.data);
		} catch (err) {
			skipped.push({ id: row.id, error: err instanceof Error ? err.message : String(err) });
		}
	}
}

/** Snapshot plus log as a Y.Doc. */
export function replay(snapshot: Uint8Array | undefined, rows: LogRow[], skipped: Skipped[]): Y.Doc {
	const ydoc = new Y.Doc();
	if (snapshot) applyRows(ydoc, [{ id: 0, data: snapshot }], skipped);
	applyRows(ydoc, rows, skipped);
	return ydoc;
}
