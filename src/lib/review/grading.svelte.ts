import { mount, unmount } from 'svelte';
import type { RowAddonFactory, RowFacts } from '#lib/editor/blocks/context.ts';
import RowGrade from './RowGrade.svelte';

export type Grade = {
	rowId: string;
	level: string;
	previousLevel: string | null;
	reason: string;
	by: { id: string; username: string; displayName: string; role: string };
	at: number;
};

/**
 * 专家评定 on the risk rows of one section: the grades given so far (from the page's data) and
 * whether this person may grade now (from the permission table), shared by every row's control.
 */
export class Grading {
	grades = $state<Grade[]>([]);
	canGrade = $state(false);
	readonly sectionId: string;
	/** Called after a grade was saved, so the page reloads what it shows. */
	onGraded: () => void | Promise<void>;

	constructor(sectionId: string, onGraded: () => void | Promise<void>) {
		this.sectionId = sectionId;
		this.onGraded = onGraded;
	}

	of(rowId: string): Grade[] {
		return this.grades.filter((g) => g.rowId === rowId);
	}

	/** The risk table's hook (blocks/context.ts): one RowGrade in each row. */
	readonly rowAddon: RowAddonFactory = (host: HTMLElement, facts: RowFacts) => {
		const row = $state({ ...facts });
		const component = mount(RowGrade, { target: host, props: { grading: this, row } });
		return {
			update(next: RowFacts) {
				if (row.level !== next.level) row.level = next.level;
				if (row.point !== next.point) row.point = next.point;
				row.id = next.id;
			},
			destroy() {
				void unmount(component);
			}
		};
	};
}
