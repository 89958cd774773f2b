import { Extension } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';

const CELLS = new Set(['powerItemField', 'riskCell', 'basisLaw', 'basisArticle']);

/**
 * Ctrl+A inside a card field or a table cell selects that cell first (as in spreadsheets);
 * pressed again, the whole document.
 */
export const SelectCellFirst = Extension.create({
	name: 'selectCellFirst',
	addKeyboardShortcuts() {
		return {
			'Mod-a': () => {
				const { state, view } = this.editor;
				const { $from, $to } = state.selection;
				if (!CELLS.has($from.parent.type.name) || !$from.sameParent($to)) return false;
				const start = $from.start();
				const end = $from.end();
				if (state.selection.from === start && state.selection.to === end) return false;
				view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, start, end)));
				return true;
			}
		};
	}
});
