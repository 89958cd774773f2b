import type { NodeViewRendererProps } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { BASIS_LABEL, BasisArticle, BasisLaw, LegalBasis, PowerItemField } from '#collab/schema/power-item.ts';
import { moveToCell } from './commands.ts';
import { h } from './dom.ts';
import { BlockView } from './block-view.ts';
import { m } from '#lib/paraglide/messages.js';

const CARD_CELLS = ['powerItemField', 'basisLaw', 'basisArticle'];

function nextCell(editor: KeyEditor, dir: 1 | -1) {
	const tr = moveToCell(editor.state, dir, CARD_CELLS);
	if (tr) editor.view.dispatch(tr);
	return true;
}

type KeyEditor = { state: EditorView['state']; view: EditorView };

/** Tab, Shift-Tab and Enter move between the card's fields while the cursor is in `nodeName`. */
function walkKeys(editor: KeyEditor, nodeName: string) {
	const inside = () => editor.state.selection.$from.parent.type.name === nodeName;
	return {
		Tab: () => inside() && nextCell(editor, 1),
		'Shift-Tab': () => inside() && nextCell(editor, -1),
		Enter: () => inside() && nextCell(editor, 1)
	};
}

/** Position of the legal-basis item around the selection, or null. */
function basisItemAt(state: EditorView['state']): { pos: number; node: PMNode; list: PMNode } | null {
	const $from = state.selection.$from;
	for (let d = $from.depth; d > 0; d--) {
		if ($from.node(d).type.name === 'legalBasisItem') return { pos: $from.before(d), node: $from.node(d), list: $from.node(d - 1) };
	}
	return null;
}

function newBasisItem(state: EditorView['state']): PMNode {
	const { legalBasisItem, basisLaw, basisArticle } = state.schema.nodes;
	return legalBasisItem.create(null, [basisLaw.create(), basisArticle.create()]);
}

class LegalBasisView extends BlockView {
	dom: HTMLElement;
	contentDOM: HTMLElement;
	protected readonly typeName = 'legalBasis';
	private add: HTMLButtonElement;
	constructor(props: NodeViewRendererProps) {
		super(props);
		this.contentDOM = h('ol', { class: 'pi-value' });
		this.add = h('button', { type: 'button', class: 'pi-add' }, m.pi_add_basis());
		this.add.addEventListener('click', () => {
			const pos = this.pos();
			const node = pos === undefined ? null : this.view.state.doc.nodeAt(pos);
			if (pos === undefined || !node) return;
			const at = pos + node.nodeSize - 1;
			const tr = this.view.state.tr.insert(at, newBasisItem(this.view.state));
			this.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, at + 2)).scrollIntoView());
			this.view.focus();
		});
		this.dom = h(
			'div',
			{ class: 'pi-field pi-basis', 'data-type': 'legal-basis' },
			h('span', { class: 'pi-label', contenteditable: 'false' }, BASIS_LABEL),
			h('div', { class: 'pi-basis-body' }, this.contentDOM, h('div', { contenteditable: 'false' }, this.add))
		);
		this.sync();
	}
	protected sync() {
		this.add.hidden = !this.view.editable;
	}
}

/** The schema's card nodes with the browser's keys: Tab and Enter walk the fields. */
export function powerItemClient() {
	return [
		PowerItemField.extend({
			addKeyboardShortcuts() {
				return walkKeys(this.editor, 'powerItemField');
			}
		}),
		LegalBasis.extend({
			addNodeView() {
				return (props) => new LegalBasisView(props);
			}
		}),
		BasisLaw.extend({
			addKeyboardShortcuts() {
				return walkKeys(this.editor, 'basisLaw');
			}
		}),
		BasisArticle.extend({
			addKeyboardShortcuts() {
				const inArticle = () => this.editor.state.selection.$from.parent.type.name === 'basisArticle';
				return {
					...walkKeys(this.editor, 'basisArticle'),
					// Enter after an article starts the next law of the list.
					Enter: () => {
						if (!inArticle()) return false;
						const { state, view } = this.editor;
						const item = basisItemAt(state);
						if (!item) return false;
						const at = item.pos + item.node.nodeSize;
						const tr = state.tr.insert(at, newBasisItem(state));
						view.dispatch(tr.setSelection(TextSelection.create(tr.doc, at + 2)).scrollIntoView());
						return true;
					},
					// Backspace in an empty item removes it (the list keeps at least one).
					Backspace: () => {
						if (!inArticle() && this.editor.state.selection.$from.parent.type.name !== 'basisLaw') return false;
						const { state, view } = this.editor;
						const item = basisItemAt(state);
						if (!item || item.node.textContent !== '' || item.list.childCount <= 1 || !state.selection.empty) return false;
						if (state.selection.$from.parentOffset !== 0) return false;
						view.dispatch(state.tr.delete(item.pos, item.pos + item.node.nodeSize));
						return true;
					}
				};
			}
		})
	];
}
