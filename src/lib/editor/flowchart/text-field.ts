import type { Attachment } from 'svelte/attachments';
import type { StepTextField } from '#collab/schema/flowchart.ts';
import type { FlowchartBinding, TextDelta } from './binding.ts';

/**
 * An <input> or <textarea> of the side panel bound to one step text field (Y.Text) character by
 * character: what the person types goes in as an insert/delete at the place it happened, and a
 * colleague's edit arriving meanwhile changes the value without moving the caret off the
 * characters it was next to.
 *
 * IME: nothing is written while a composition is open; the committed text goes in at its end.
 * Remote edits cannot land mid-composition either: the field sits inside the editor's DOM,
 * where CompositionHold holds the whole document's incoming updates until the composition ends.
 */
export function stepTextField(binding: FlowchartBinding, stepId: string, field: StepTextField): Attachment<HTMLInputElement | HTMLTextAreaElement> {
	return (el) => {
		let value = binding.text(stepId, field);
		el.value = value;

		const write = () => {
			const now = el.value;
			if (now === value) return;
			const { index, remove, insert } = textDiff(value, now, el.selectionEnd ?? now.length);
			binding.editText(stepId, field, index, remove, insert);
			// The field may refuse part of it (length limit): show what it holds.
			value = binding.text(stepId, field);
			if (value !== now) replaceValue(el, value, (i) => Math.min(i, value.length));
		};
		const oninput = (e: Event) => {
			if (!(e as InputEvent).isComposing) write();
		};
		el.addEventListener('input', oninput);
		el.addEventListener('compositionend', write);

		const stop = binding.watchText(stepId, field, (change) => {
			const old = value;
			value = change.value;
			if (el.value === value) return;
			const map = change.kind === 'delta' ? (i: number) => mapThroughDelta(i, change.delta) : (i: number) => mapThroughDiff(i, old, value);
			replaceValue(el, value, map);
		});
		return () => {
			stop();
			el.removeEventListener('input', oninput);
			el.removeEventListener('compositionend', write);
		};
	};
}

/** Sets the element's value; when it has focus, its selection follows `map` (old index → new index). */
function replaceValue(el: HTMLInputElement | HTMLTextAreaElement, value: string, map: (i: number) => number) {
	const focused = el.ownerDocument.activeElement === el;
	const [start, end, dir] = [el.selectionStart ?? 0, el.selectionEnd ?? 0, el.selectionDirection ?? 'none'];
	el.value = value;
	if (focused) el.setSelectionRange(map(start), map(end), dir);
}

/**
 * The one edit that turns `before` into `after`, placed where the caret says (`caret`: its
 * position in `after`). Typing, deleting or pasting leaves everything after the caret as it
 * was, which settles where a run of equal characters was edited ("aa" → "aaa").
 */
export function textDiff(before: string, after: string, caret: number): { index: number; remove: number; insert: string } {
	let suffix = 0;
	const maxSuffix = Math.min(before.length, after.length, after.length - Math.min(caret, after.length));
	while (suffix < maxSuffix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
	let prefix = 0;
	const maxPrefix = Math.min(before.length, after.length) - suffix;
	while (prefix < maxPrefix && before[prefix] === after[prefix]) prefix++;
	return { index: prefix, remove: before.length - suffix - prefix, insert: after.slice(prefix, after.length - suffix) };
}

/**
 * Where index `i` of the old text lies after a remote delta. Text inserted exactly at `i` stays
 * after it, so the person keeps typing where they were, next to their own characters.
 */
export function mapThroughDelta(i: number, delta: TextDelta): number {
	let pos = 0;
	let shift = 0;
	for (const op of delta) {
		if (pos > i) break;
		if (op.retain) pos += op.retain;
		else if (op.insert !== undefined) {
			if (pos < i) shift += typeof op.insert === 'string' ? op.insert.length : 1;
		} else if (op.delete) {
			shift -= Math.min(op.delete, Math.max(0, i - pos));
			pos += op.delete;
		}
	}
	return Math.max(0, i + shift);
}

/** Where index `i` lies when only the two texts are known (a field replaced outright). */
function mapThroughDiff(i: number, before: string, after: string): number {
	const { index, remove, insert } = textDiff(before, after, after.length);
	if (i <= index) return i;
	if (i >= index + remove) return i - remove + insert.length;
	return index + insert.length;
}
