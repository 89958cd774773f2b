import { readAllFlowcharts } from '#collab/schema/flowchart.ts';
import { SECTION_FIELD } from '#collab/schema/index.ts';
import { runChecklist, type ChecklistResult } from '#collab/schema/checklist.ts';
import type { LiveSection } from '#lib/editor/live-section.ts';

/** Typing pauses this long before the four checks run again. */
const DEBOUNCE_MS = 400;

/**
 * 自我复查 run in the browser on the live document (the same pure `runChecklist` the server
 * runs before a submission), again after each pause in typing.
 */
export class LiveChecklist {
	result = $state<ChecklistResult | null>(null);
	private live: LiveSection | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;

	/** Follows `live` until the returned function is called. */
	follow(live: LiveSection): () => void {
		this.live = live;
		const schedule = () => {
			if (this.timer) clearTimeout(this.timer);
			this.timer = setTimeout(() => this.run(), DEBOUNCE_MS);
		};
		live.doc.on('update', schedule);
		this.run();
		return () => {
			live.doc.off('update', schedule);
			if (this.timer) clearTimeout(this.timer);
			this.live = null;
		};
	}

	/** Runs now (also before a submission, so the dialog never shows a stale answer). */
	run(): ChecklistResult | null {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		const live = this.live;
		if (!live || live.editor.isDestroyed) return this.result;
		// Nothing loaded yet (first sync still under way): no verdict rather than a wrong one.
		if (live.doc.getXmlFragment(SECTION_FIELD).length === 0) return (this.result = null);
		this.result = runChecklist(live.editor.getJSON(), readAllFlowcharts(live.doc));
		return this.result;
	}
}
