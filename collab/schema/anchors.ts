import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { z } from 'zod';

/**
 * Where a comment points. A text anchor is a pair of Yjs relative positions: it follows
 * concurrent edits without changing the document, so commenting never needs write access.
 * A risk row or a flowchart step is pointed at by its id; a return note points at the section.
 */

export const AnchorInput = z.discriminatedUnion(
	'type',
	[
		z.object({
			type: z.literal('text'),
			from: z.number().int().min(0),
			to: z.number().int().min(0),
			// Optional: the same range as relative positions, from a client whose document may differ
			// from the server's for a moment (its own unsent typing, others' typing not yet received).
			start: z.string().min(1).max(400).optional(),
			end: z.string().min(1).max(400).optional()
		}),
		z.object({ type: z.literal('row'), rowId: z.string().min(1).max(100) }),
		z.object({ type: z.literal('step'), flowchartId: z.string().min(1).max(100), stepId: z.string().min(1).max(100) })
	],
	{ message: '意见位置（anchor）无效：应为 text、row 或 step。' }
);
export type AnchorInput = z.infer<typeof AnchorInput>;

/** As stored: text positions as base64-encoded Yjs relative positions. */
export const StoredAnchor = z.discriminatedUnion('type', [
	z.object({ type: z.literal('text'), start: z.string(), end: z.string() }),
	z.object({ type: z.literal('row'), rowId: z.string() }),
	z.object({ type: z.literal('step'), flowchartId: z.string(), stepId: z.string() }),
	z.object({ type: z.literal('section') })
]);
export type StoredAnchor = z.infer<typeof StoredAnchor>;

const b64 = {
	encode: (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)),
	decode: (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
};

/** A y-prosemirror mapping that works without an editor: node sizes computed from the Yjs tree. */
export type SizeMapping = { get(t: unknown): { nodeSize: number } | undefined };

export function sizeMapping(schema: Schema): SizeMapping {
	const sizes = new WeakMap<Y.XmlElement, number>();
	const size = (el: Y.XmlElement): number | undefined => {
		const known = sizes.get(el);
		if (known !== undefined) return known;
		const type = schema.nodes[el.nodeName];
		if (!type) return undefined;
		let n = type.isLeaf ? 1 : 2;
		if (!type.isLeaf)
			for (const c of el.toArray()) {
				const s = c instanceof Y.XmlText ? c.length : c instanceof Y.XmlElement ? size(c) : undefined;
				if (s === undefined) return undefined;
				n += s;
			}
		sizes.set(el, n);
		return n;
	};
	return { get: (t) => (t instanceof Y.XmlElement ? ((s) => (s === undefined ? undefined : { nodeSize: s }))(size(t)) : undefined) };
}

/** ProseMirror positions → stored relative positions. */
export function textAnchor(fragment: Y.XmlFragment, mapping: SizeMapping, from: number, to: number): StoredAnchor {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- y-tiptap's mapping type is a Map of PM nodes; ours gives the sizes it reads
	const m = mapping as any;
	const start = absolutePositionToRelativePosition(from, fragment, m);
	const end = absolutePositionToRelativePosition(to, fragment, m);
	return { type: 'text', start: b64.encode(Y.encodeRelativePosition(start)), end: b64.encode(Y.encodeRelativePosition(end)) };
}

/** Stored relative positions → ProseMirror positions now; null when the anchor no longer resolves or covers nothing. */
export function resolveTextAnchor(
	doc: Y.Doc,
	fragment: Y.XmlFragment,
	mapping: SizeMapping,
	anchor: { start: string; end: string }
): { from: number; to: number } | null {
	try {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see textAnchor
		const m = mapping as any;
		const from = relativePositionToAbsolutePosition(doc, fragment, Y.decodeRelativePosition(b64.decode(anchor.start)), m);
		const to = relativePositionToAbsolutePosition(doc, fragment, Y.decodeRelativePosition(b64.decode(anchor.end)), m);
		// Collapsed: every character it covered is gone.
		if (from === null || to === null || from === to) return null;
		return { from: Math.min(from, to), to: Math.max(from, to) };
	} catch {
		return null;
	}
}

/**
 * Where a text anchor's words stand when its relative positions no longer resolve although the
 * words are still there: Yjs keeps a position with the characters it points at, and a paragraph
 * split or joined before the words (Enter, Backspace) reaches Yjs as the words deleted and typed
 * again. Only a single occurrence counts, searched within `near.within` positions of `near.at`
 * when given (the browser, on a keystroke), else in the whole document. The server and the
 * editor both use it, so they agree on whether a comment's words are gone.
 */
export function findQuote(doc: PMNode, quote: string, near?: { at: number; within: number }): { from: number; to: number } | null {
	if (!quote) return null;
	const from = near ? Math.max(0, near.at - near.within) : 0;
	const to = near ? Math.min(doc.content.size, near.at + near.within) : doc.content.size;
	let found: { from: number; to: number } | null = null;
	let count = 0;
	doc.nodesBetween(from, to, (node, pos) => {
		if (count > 1) return false;
		if (!node.isTextblock) return true;
		// Each character's position; an inline leaf (a line break) is one character that never matches.
		let text = '';
		const at: number[] = [];
		node.forEach((child, offset) => {
			const chars = child.isText ? child.text! : '\uFFFC';
			for (let i = 0; i < chars.length; i++) at.push(pos + 1 + offset + i);
			text += chars;
		});
		for (let i = text.indexOf(quote); i >= 0 && count <= 1; i = text.indexOf(quote, i + 1)) {
			count++;
			found = { from: at[i], to: at[i + quote.length - 1] + 1 };
		}
		return false;
	});
	return count === 1 ? found : null;
}

/** The text between two positions of a document node, '' when out of range. */
export function quoteOf(node: PMNode, from: number, to: number): string {
	if (from < 0 || to > node.content.size || from >= to) return '';
	return node.textBetween(from, to, ' ', ' ');
}
