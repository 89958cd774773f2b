import type * as Y from 'yjs';

/** What the browser-side blocks need from the page around the editor. */
export type BlockContext = {
	doc: Y.Doc;
	/** Every flowchart step of the section, for linking risk rows to steps. */
	steps(): { id: string; label: string }[];
	/** Subscribe to changes of the steps list; returns an unsubscribe function. */
	onStepsChange(fn: () => void): () => void;
	/** Bring a flowchart step into view and select it. */
	focusStep(stepId: string): void;
};
