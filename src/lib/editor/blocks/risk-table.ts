import type { NodeViewRendererProps } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorView } from '@tiptap/pm/view';
import { RiskRow, RiskRowAttrs, RiskTable, RISK_CATEGORIES, RISK_CELLS, RISK_LEVELS, LEVEL_LABEL } from '#collab/schema/risk-table.ts';
import type { BlockContext, RowAddon } from './context.ts';
import { appendRow, deleteRow, insertRowAfter, moveRow, moveToCell, rowAt } from './commands.ts';
import { h } from './dom.ts';
import { BlockView } from './block-view.ts';
import { m } from '#lib/paraglide/messages.js';

/** The table's controls, in the current language (getters: each read asks Paraglide). */
const T = {
	get add() { return m.rt_add_row(); },
	get up() { return m.rt_move_up(); },
	get down() { return m.rt_move_down(); },
	get remove() { return m.rt_delete_row(); },
	get category() { return m.rt_category(); },
	get level() { return m.rt_level(); },
	get levelNone() { return m.rt_level_none(); },
	get deadline() { return m.rt_deadline(); },
	get step() { return m.rt_step(); },
	get stepNone() { return m.rt_step_none(); },
	get stepUnnamed() { return m.rt_step_unnamed(); },
	get stepDeleted() { return m.rt_step_deleted(); },
	get gotoStep() { return m.rt_goto_step(); }
};

/** Column headings: part of the printed manual, so they stay Chinese. */
const HEAD = ['序号', '风险点', '风险表现形式', '类别 / 等级', '防控措施', '责任岗位/责任人', '责任领导', '制度建设计划', ''];

class RiskTableView extends BlockView {
	dom: HTMLElement;
	contentDOM: HTMLElement;
	protected readonly typeName = 'riskTable';
	private addButton: HTMLButtonElement;
	constructor(props: NodeViewRendererProps) {
		super(props);
		const head = h('div', { class: 'rt-head', contenteditable: 'false', 'aria-hidden': 'true' }, ...HEAD.map((t) => h('div', {}, t)));
		this.contentDOM = h('div', { class: 'rt-body' });
		this.addButton = h('button', { type: 'button', class: 'rt-add' }, T.add);
		this.addButton.addEventListener('click', () => {
			const pos = this.pos();
			if (pos === undefined) return;
			this.view.dispatch(appendRow(this.view.state, pos));
			this.view.focus();
		});
		const foot = h('div', { class: 'rt-foot', contenteditable: 'false' }, this.addButton);
		const scroller = h('div', { class: 'rt-scroll' }, h('div', { class: 'rt-grid' }, head, this.contentDOM));
		this.dom = h('div', { class: 'risk-table', 'data-type': 'risk-table', 'data-id': props.node.attrs.id ?? undefined }, scroller, foot);
		this.sync();
		this.renumber();
	}
	protected sync() {
		this.addButton.hidden = !this.view.editable;
	}
	protected onNode() {
		this.renumber();
	}

	private numbering = 0;
	/**
	 * Writes each row's number (序号) after ProseMirror has placed the rows, only where it changed,
	 * as `data-n` (shown by CSS): what a test or a screen reader can read, unlike a CSS counter.
	 * (`content-visibility: auto` on rows was tried for long tables and dropped: rows taking their
	 * real height as they scroll into view moved the text under the pointer while selecting.)
	 */
	private renumber() {
		if (this.numbering) return;
		this.numbering = requestAnimationFrame(() => {
			this.numbering = 0;
			let n = 0;
			for (const row of this.contentDOM.children) {
				const index = row.firstElementChild as HTMLElement | null;
				const label = String(++n);
				if (index?.classList.contains('rr-index') && index.dataset.n !== label) index.dataset.n = label;
			}
		});
	}
	destroy() {
		super.destroy();
		cancelAnimationFrame(this.numbering);
	}
}

class RiskRowView extends BlockView {
	dom: HTMLElement;
	contentDOM: HTMLElement;
	private node: PMNode;
	private category: HTMLSelectElement;
	private level: HTMLSelectElement;
	private deadline: HTMLInputElement;
	private step: HTMLSelectElement;
	private goto: HTMLButtonElement;
	private buttons: HTMLButtonElement[];
	private deadlineBox: HTMLElement;
	private unsubscribe: () => void;
	private ctx: BlockContext;
	private addonBox: HTMLElement;
	private addon: { id: string; view: RowAddon } | null = null;
	/** The step picker's option per step id. */
	private stepOptions = new Map<string, HTMLOptionElement>();
	/** Steps renamed since this picker's options were last named (only the linked one is named at once). */
	private staleNames = new Set<string>();
	protected readonly typeName = 'riskRow';

	constructor(props: NodeViewRendererProps, ctx: BlockContext) {
		super(props);
		this.ctx = ctx;
		this.node = props.node;
		this.category = h('select', { class: 'rr-category', 'aria-label': T.category, title: T.category });
		for (const c of RISK_CATEGORIES) this.category.append(h('option', { value: c }, c));
		this.level = h('select', { class: 'rr-level', 'aria-label': T.level, title: T.level });
		this.level.append(h('option', { value: '' }, T.levelNone));
		for (const l of RISK_LEVELS) this.level.append(h('option', { value: l }, LEVEL_LABEL[l]));
		this.deadline = h('input', { type: 'date', class: 'rr-deadline', 'aria-label': T.deadline, title: T.deadline });
		this.step = h('select', { class: 'rr-step', 'aria-label': T.step, title: T.step });
		this.goto = h('button', { type: 'button', class: 'rr-goto', title: T.gotoStep, 'aria-label': T.gotoStep }, '⤴');
		const up = h('button', { type: 'button', title: T.up, 'aria-label': T.up }, '↑');
		const down = h('button', { type: 'button', title: T.down, 'aria-label': T.down }, '↓');
		const del = h('button', { type: 'button', class: 'danger', title: T.remove, 'aria-label': T.remove }, '✕');
		this.buttons = [up, down, del];

		this.category.addEventListener('change', () => this.setAttr('category', this.category.value));
		this.level.addEventListener('change', () => this.setAttr('level', this.level.value || null));
		this.deadline.addEventListener('change', () => this.setAttr('deadline', this.deadline.value || null));
		this.step.addEventListener('change', () => this.setAttr('stepId', this.step.value || null));
		// Before the list opens (mouse) or the arrow keys walk it (keyboard focus).
		this.step.addEventListener('mousedown', () => this.nameSteps(this.staleNames));
		this.step.addEventListener('focus', () => this.nameSteps(this.staleNames));
		this.goto.addEventListener('click', () => this.node.attrs.stepId && this.ctx.focusStep(this.node.attrs.stepId));
		up.addEventListener('click', () => this.run((s, pos) => moveRow(s, pos, -1)));
		down.addEventListener('click', () => this.run((s, pos) => moveRow(s, pos, 1)));
		del.addEventListener('click', () => this.run((s, pos) => deleteRow(s, pos)));

		this.contentDOM = h('div', { class: 'rr-cells' });
		this.deadlineBox = h('div', { class: 'rr-deadline-box', contenteditable: 'false' }, h('span', { class: 'rr-mini' }, T.deadline), this.deadline);
		this.addonBox = h('div', { class: 'rr-addon' });
		this.dom = h(
			'div',
			{ class: 'risk-row', 'data-type': 'risk-row' },
			h('div', { class: 'rr-index', contenteditable: 'false' }),
			this.contentDOM,
			h('div', { class: 'rr-stepbox', contenteditable: 'false' }, this.step, this.goto),
			h('div', { class: 'rr-grade', contenteditable: 'false' }, this.category, this.level, this.addonBox),
			this.deadlineBox,
			h('div', { class: 'rr-actions', contenteditable: 'false' }, ...this.buttons)
		);
		this.unsubscribe = ctx.onStepsChange((change) => (change.list ? this.renderSteps() : this.stepsRenamed(change.labels)));
		this.renderSteps();
		this.sync();
	}

	private run(make: (state: EditorView['state'], pos: number) => ReturnType<typeof moveRow>) {
		const pos = this.pos();
		if (pos === undefined || !this.view.editable) return;
		const tr = make(this.view.state, pos);
		if (tr) this.view.dispatch(tr);
		this.view.focus();
	}

	private setAttr(name: keyof typeof RiskRowAttrs, value: unknown) {
		const pos = this.pos();
		// The schema refuses other values (and the server would close the connection): keep the old one.
		if (pos === undefined || !this.view.editable || !RiskRowAttrs[name].safeParse(value).success) {
			this.sync();
			return;
		}
		this.view.dispatch(this.view.state.tr.setNodeAttribute(pos, name, value));
	}

	private renderSteps() {
		const current = this.node.attrs.stepId as string | null;
		const steps = this.ctx.steps();
		this.stepOptions = new Map(steps.map((s) => [s.id, h('option', { value: s.id }, s.label || T.stepUnnamed)]));
		this.staleNames.clear();
		this.step.replaceChildren(h('option', { value: '' }, T.stepNone), ...this.stepOptions.values());
		if (current && !this.stepOptions.has(current)) this.step.append(h('option', { value: current }, T.stepDeleted));
		this.step.value = current ?? '';
	}

	/**
	 * Only names changed. The name on show (the linked step's) changes at once; the others wait
	 * until someone opens this picker, so a keystroke in a step's name touches the rows linked to
	 * that step, not every row of a long table.
	 */
	private stepsRenamed(ids: ReadonlySet<string>) {
		for (const id of ids) this.staleNames.add(id);
		const linked = this.node.attrs.stepId as string | null;
		if (linked && ids.has(linked)) this.nameSteps(new Set([linked]));
	}

	private nameSteps(ids: ReadonlySet<string>) {
		if (ids.size === 0) return;
		for (const s of this.ctx.steps()) {
			if (!ids.has(s.id)) continue;
			const option = this.stepOptions.get(s.id);
			if (option && option.textContent !== (s.label || T.stepUnnamed)) option.textContent = s.label || T.stepUnnamed;
		}
		if (ids === this.staleNames) this.staleNames.clear();
		else for (const id of ids) this.staleNames.delete(id);
	}

	protected onNode(node: PMNode) {
		this.node = node;
	}

	protected sync() {
		const a = this.node.attrs;
		const editable = this.view.editable;
		this.dom.dataset.level = a.level ?? '';
		if (a.id) this.dom.dataset.rowId = a.id;
		if (a.stepId) this.dom.dataset.stepId = a.stepId;
		else delete this.dom.dataset.stepId;
		this.category.value = a.category ?? '权力行使';
		this.level.value = a.level ?? '';
		this.level.dataset.level = a.level ?? '';
		this.deadline.value = a.deadline ?? '';
		if (this.step.value !== (a.stepId ?? '')) this.renderSteps();
		this.goto.disabled = !a.stepId;
		for (const el of [this.category, this.level, this.deadline, this.step]) el.disabled = !editable;
		for (const b of this.buttons) b.hidden = !editable;
		// Read-only, an empty deadline and an unlinked step say nothing worth a blank control.
		this.deadlineBox.style.visibility = !editable && !a.deadline ? 'hidden' : '';
		this.goto.hidden = !a.stepId;
		this.syncAddon();
	}

	/** The page's add-on for this row, kept to the row's id (a row whose id changes is another row). */
	private syncAddon() {
		const id = this.node.attrs.id as string | null;
		if (!this.ctx.rowAddon) return;
		if (this.addon && this.addon.id !== id) {
			this.addon.view.destroy();
			this.addon = null;
		}
		if (!id) return;
		const facts = { id, level: (this.node.attrs.level as string | null) ?? null, point: this.node.firstChild?.textContent ?? '' };
		if (this.addon) this.addon.view.update(facts);
		else this.addon = { id, view: this.ctx.rowAddon(this.addonBox, facts) };
	}

	destroy() {
		super.destroy();
		this.unsubscribe();
		this.addon?.view.destroy();
	}
}

const CELL_TYPES = ['riskCell'];

/** The schema's risk table nodes with the browser's views and keys. Same names, same schema. */
export function riskTableClient(ctx: BlockContext) {
	return [
		RiskTable.extend({
			addNodeView() {
				return (props) => new RiskTableView(props);
			}
		}),
		RiskRow.extend({
			addNodeView() {
				return (props) => new RiskRowView(props, ctx);
			},
			addKeyboardShortcuts() {
				const inRow = (fn: (pos: number) => ReturnType<typeof moveRow>) => () => {
					const { state, view } = this.editor;
					const row = rowAt(state.selection.$from);
					if (!row || !view.editable) return false;
					const tr = fn(row.pos);
					if (tr) view.dispatch(tr);
					return true;
				};
				return {
					Tab: () => {
						const { state, view } = this.editor;
						if (!rowAt(state.selection.$from)) return false;
						const tr = moveToCell(state, 1, CELL_TYPES);
						if (tr) view.dispatch(tr);
						else view.dispatch(insertRowAfter(state, rowAt(state.selection.$from)!.pos));
						return true;
					},
					'Shift-Tab': () => {
						const { state, view } = this.editor;
						if (!rowAt(state.selection.$from)) return false;
						const tr = moveToCell(state, -1, CELL_TYPES);
						if (tr) view.dispatch(tr);
						return true;
					},
					'Mod-Enter': inRow((pos) => insertRowAfter(this.editor.state, pos)),
					'Alt-ArrowUp': inRow((pos) => moveRow(this.editor.state, pos, -1)),
					'Alt-ArrowDown': inRow((pos) => moveRow(this.editor.state, pos, 1)),
					'Mod-Shift-Backspace': inRow((pos) => deleteRow(this.editor.state, pos)),
					// A cell is one paragraph of plain text: Enter goes to the next cell.
					Enter: () => {
						const { state, view } = this.editor;
						if (!rowAt(state.selection.$from)) return false;
						const tr = moveToCell(state, 1, CELL_TYPES);
						if (tr) view.dispatch(tr);
						return true;
					}
				};
			}
		})
	];
}

export { RISK_CELLS };
