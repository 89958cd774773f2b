import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * Whether a Yjs relative position is anchored in content that still exists: then Yjs resolves
 * it exactly, whatever was inserted or deleted around it.
 */
function anchoredInLiveContent(doc: Y.Doc, rel: Y.RelativePosition): boolean {
	const at = Y.createAbsolutePositionFromRelativePosition(rel, doc, false);
	if (!at) return false;
	if (rel.item && (Y.getItem(doc.store, rel.item) as Y.Item).deleted) return false;
	for (let item = at.type._item; item; item = (item.parent as Y.AbstractType<unknown>)._item) {
		if (item.deleted) return false;
	}
	return true;
}

/**
 * Keeps the caret where Yjs says it is when a remote edit lands in the text being typed in.
 *
 * After every remote change, y-tiptap rebuilds the document and restores the selection from
 * Yjs relative positions, then second-guesses them: when the caret's textblock has a different
 * text than before, which any remote keystroke in the same cell causes, it "recovers" the caret
 * by finding the old top-level block again and putting the caret at its old offset. A remote
 * character inserted before the caret therefore leaves the caret one place to the left, before
 * one's own last character, and the next keystroke lands in front of it: typing "abc" at the
 * spot where someone else types too ends up as "cba". Top-level blocks that y-tiptap can find
 * by their attributes are the ones hit: the risk table and the power-item card (each has an
 * `id`); a plain paragraph is not found that way, so there the Yjs position already wins.
 *
 * The recovery exists for positions whose content was deleted and re-inserted (a moved block):
 * those cannot be resolved by Yjs. A position anchored in live content can, so for those this
 * puts the exact Yjs position back.
 */
export const CaretAfterRemoteEdit = Extension.create({
	name: 'caretAfterRemoteEdit',
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key: new PluginKey('caretAfterRemoteEdit'),
				appendTransaction(transactions, _old, state) {
					const remote = transactions.find((tr: Transaction) => tr.getMeta(ySyncPluginKey)?.isChangeOrigin);
					if (!remote || !(state.selection instanceof TextSelection)) return null;
					const binding = ySyncPluginKey.getState(state)?.binding as ProsemirrorBinding | undefined;
					const before = binding?.beforeTransactionSelection;
					if (!binding || !before || before.type !== 'text' || !before.anchor || !before.head) return null;
					if (!anchoredInLiveContent(binding.doc, before.anchor) || !anchoredInLiveContent(binding.doc, before.head)) return null;
					const anchor = relativePositionToAbsolutePosition(binding.doc, binding.type, before.anchor, binding.mapping);
					const head = relativePositionToAbsolutePosition(binding.doc, binding.type, before.head, binding.mapping);
					if (anchor === null || head === null || anchor > state.doc.content.size || head > state.doc.content.size) return null;
					if (anchor === state.selection.anchor && head === state.selection.head) return null;
					const $anchor = state.doc.resolve(anchor);
					const $head = state.doc.resolve(head);
					// Only a caret inside text: anything else is left to y-tiptap.
					if (!$anchor.parent.inlineContent || !$head.parent.inlineContent) return null;
					return state.tr
						.setSelection(TextSelection.between($anchor, $head))
						.setMeta(ySyncPluginKey, remote.getMeta(ySyncPluginKey))
						.setMeta('addToHistory', false);
				}
			})
		];
	}
});
