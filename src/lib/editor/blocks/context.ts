import type * as Y from 'yjs';
import type { StepEntry, StepIndexChange } from '../flowchart/step-index.ts';

/** What the browser-side blocks need from the page around the editor. */
export type BlockContext = {
	doc: Y.Doc;
	/** Every flowchart step of the section, in reading order, for linking risk rows to steps. */
	steps(): readonly StepEntry[];
	/** Subscribe to changes of the steps (the list, or only some names); returns an unsubscribe function. */
	onStepsChange(fn: (change: StepIndexChange) => void): () => void;
	/** Bring a flowchart step into view and select it. */
	focusStep(stepId: string): void;
	/** Optional: what the page adds to each risk row (the review's grade), in a box of the row's own. */
	rowAddon?: RowAddonFactory;
};

/** The facts of a risk row an add-on may show. */
export type RowFacts = { id: string; level: string | null; point: string };
export type RowAddon = { update(row: RowFacts): void; destroy(): void };
export type RowAddonFactory = (host: HTMLElement, row: RowFacts) => RowAddon;
