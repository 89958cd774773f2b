import { writable, type Readable, type Writable } from 'svelte/store';
import type * as Y from 'yjs';

/**
 * Open comment threads per flowchart step of a section, for the flowchart to draw badges on its
 * steps: `stepCommentCounts(doc)` with the section's Y.Doc (the one the flowchart node view gets)
 * gives `{ [flowchartId]: { [stepId]: count } }`, kept current by the comments column.
 */
export type StepCounts = Record<string, Record<string, number>>;

const stores = new WeakMap<Y.Doc, Writable<StepCounts>>();

function storeOf(doc: Y.Doc): Writable<StepCounts> {
	let s = stores.get(doc);
	if (!s) stores.set(doc, (s = writable({})));
	return s;
}

export function stepCommentCounts(doc: Y.Doc): Readable<StepCounts> {
	return { subscribe: storeOf(doc).subscribe };
}

export function publishStepCounts(doc: Y.Doc, threads: { anchor: { type: string; flowchartId?: string; stepId?: string }; resolved: boolean; detached: boolean }[]) {
	const counts: StepCounts = {};
	for (const t of threads) {
		const { flowchartId, stepId } = t.anchor;
		if (t.anchor.type !== 'step' || t.resolved || t.detached || !flowchartId || !stepId) continue;
		const chart = (counts[flowchartId] ??= {});
		chart[stepId] = (chart[stepId] ?? 0) + 1;
	}
	storeOf(doc).set(counts);
}
