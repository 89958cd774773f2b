import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import type { ProblemTarget } from '#collab/schema/checklist.ts';
import type { LiveSection } from '#lib/editor/live-section.ts';

/**
 * Takes the person from a self-review problem to the place it names: the card field, the legal
 * basis, the flowchart or one of its steps, the risk row's cell or control. Found in the live
 * ProseMirror document by node type and attributes, so it follows whatever the blocks draw.
 */

/** Row attributes drawn as the row view's own controls, not as text cells. */
const ROW_CONTROL: Record<string, string> = { level: '.rr-level', step: '.rr-step', deadline: '.rr-deadline' };

function find(doc: PMNode, match: (node: PMNode) => boolean): { node: PMNode; pos: number } | null {
	let found: { node: PMNode; pos: number } | null = null;
	doc.descendants((node, pos) => {
		if (found) return false;
		if (match(node)) {
			found = { node, pos };
			return false;
		}
		return true;
	});
	return found;
}

function flash(el: Element | null | undefined) {
	if (!(el instanceof HTMLElement)) return;
	el.scrollIntoView({ behavior: 'smooth', block: 'center' });
	// An animation, not a class: ProseMirror redraws a node whose attributes change under it.
	el.animate?.(
		[
			{ outline: '2px solid #f59e0b', outlineOffset: '2px', backgroundColor: 'rgb(253 230 138 / 0.55)', offset: 0 },
			{ outline: '2px solid #f59e0b', outlineOffset: '2px', backgroundColor: 'rgb(253 230 138 / 0.55)', offset: 0.35 },
			{ outline: '2px solid transparent', outlineOffset: '2px', backgroundColor: 'transparent', offset: 1 }
		],
		{ duration: 1800, easing: 'ease-out' }
	);
}

/** Puts the caret at the end of the text node at `pos` (when the person may type) and shows it. */
function caretInto(live: LiveSection, at: { node: PMNode; pos: number }) {
	const { view } = live.editor;
	flash(view.nodeDOM(at.pos) as Element | null);
	if (!view.editable) return;
	const end = at.pos + 1 + at.node.content.size;
	view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, end)));
	view.focus();
}

export function focusTarget(live: LiveSection, target: ProblemTarget | undefined): boolean {
	if (!target) return false;
	const { view } = live.editor;
	const doc = view.state.doc;
	switch (target.type) {
		case 'field': {
			const at = find(doc, (n) => n.type.name === 'powerItemField' && n.attrs.field === target.field);
			if (!at) return false;
			caretInto(live, at);
			return true;
		}
		case 'basis': {
			const list = find(doc, (n) => n.type.name === 'legalBasis');
			if (!list) return false;
			// The first law or article left empty, else the list itself.
			const empty = find(list.node, (n) => (n.type.name === 'basisLaw' || n.type.name === 'basisArticle') && !n.textContent.trim());
			if (empty) caretInto(live, { node: empty.node, pos: list.pos + 1 + empty.pos });
			else flash(view.nodeDOM(list.pos) as Element | null);
			return true;
		}
		case 'flowchart': {
			const sel = target.flowchartId ? `.flowchart-block[data-id="${CSS.escape(target.flowchartId)}"]` : '.flowchart-block';
			const el = view.dom.querySelector(sel);
			flash(el);
			return !!el;
		}
		case 'step':
			live.focusStep(target.stepId);
			return true;
		case 'row': {
			const row = target.rowId
				? find(doc, (n) => n.type.name === 'riskRow' && n.attrs.id === target.rowId)
				: find(doc, (n) => n.type.name === 'riskRow');
			if (!row) return false;
			const rowEl = view.nodeDOM(row.pos) as HTMLElement | null;
			const control = target.field ? ROW_CONTROL[target.field] : undefined;
			if (control) {
				flash(rowEl);
				const el = rowEl?.querySelector<HTMLElement>(control);
				if (el && !(el as HTMLInputElement).disabled) el.focus({ preventScroll: true });
				return true;
			}
			const cell = target.field ? find(row.node, (n) => n.type.name === 'riskCell' && n.attrs.field === target.field) : null;
			if (cell) caretInto(live, { node: cell.node, pos: row.pos + 1 + cell.pos });
			else flash(rowEl);
			return true;
		}
	}
}
