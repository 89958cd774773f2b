import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { findQuote, resolveTextAnchor, textAnchor, type SizeMapping } from '#collab/schema/anchors.ts';
import { m } from '#lib/paraglide/messages.js';

/**
 * Draws comment anchors into the editor: text ranges as highlights, risk rows with a count badge
 * (and a button to comment on the row). Text anchors are Yjs relative positions, resolved against
 * the live document each time it changes, so a highlight stays on its words whatever others type.
 */

export type AnchorSpec = { id: string; resolved: boolean } & ({ type: 'text'; start: string; end: string; quote: string } | { type: 'row'; rowId: string });

export type AnchorInput = {
	anchors: AnchorSpec[];
	activeId: string | null;
	showResolved: boolean;
	/** A new comment being written on this range (drawn until it is sent or cancelled). */
	pending: { start: string; end: string } | null;
	/** May this user start a comment on a row? */
	canComment: boolean;
};

export type AnchorState = AnchorInput & {
	decorations: DecorationSet;
	/** Where each text anchor is now (missing: its words are gone). */
	ranges: Map<string, { from: number; to: number }>;
	/** Where each text anchor was last seen on this page (kept while its words are gone). */
	lastSeen: Map<string, number>;
	/** Position of each risk row, by row id. */
	rows: Map<string, number>;
	pendingRange: { from: number; to: number } | null;
	/** Mapped through a local edit; to be resolved again once the Y.Doc has it. */
	stale: boolean;
	/**
	 * A remote change left a text anchor unresolved: resolve once more a moment later, when the
	 * binding has mapped every new node (a colleague's new paragraph above the words otherwise
	 * hides the highlight until the next change). Words really deleted stay unresolved then.
	 */
	retry: boolean;
};

export const commentAnchorsKey = new PluginKey<AnchorState>('commentAnchors');

const PENDING = '__pending__';
type Meta = { set?: Partial<AnchorInput>; refresh?: true };

type Binding = { doc: Y.Doc; type: Y.XmlFragment; mapping: SizeMapping };

/** The y-prosemirror binding of the editor: its Y.Doc, fragment, and Y type → node mapping. */
function bindingOf(state: EditorState): Binding | null {
	const b = ySyncPluginKey.getState(state)?.binding as Partial<Binding> | undefined;
	return b?.doc && b.type && b.mapping ? (b as Binding) : null;
}

/** A range of the editor's document as relative positions (what the server stores). */
export function relativeRange(state: EditorState, from: number, to: number): { start: string; end: string } | null {
	const b = bindingOf(state);
	if (!b) return null;
	const a = textAnchor(b.type, b.mapping, from, to);
	return a.type === 'text' ? { start: a.start, end: a.end } : null;
}

function resolve(state: EditorState, b: Binding | null, a: { start: string; end: string }) {
	if (!b) return null;
	const at = resolveTextAnchor(b.doc, b.type, b.mapping, a);
	return at && at.from < at.to && at.to <= state.doc.content.size ? at : null;
}

function rowPositions(doc: PMNode): Map<string, number> {
	const rows = new Map<string, number>();
	doc.descendants((node, pos) => {
		if (node.type.name === 'riskRow') {
			if (typeof node.attrs.id === 'string') rows.set(node.attrs.id, pos);
			return false;
		}
		return !node.isTextblock;
	});
	return rows;
}

type Callbacks = { onActivate(id: string | null): void; onRowButton(rowId: string): void };

function rowButton(rowId: string, count: number, active: boolean, cb: Callbacks): HTMLElement {
	const button = document.createElement('button');
	button.type = 'button';
	button.className = `cm-row-badge${count ? ' has-threads' : ''}${active ? ' active' : ''}`;
	button.contentEditable = 'false';
	button.dataset.rowId = rowId;
	const label = count ? m.cm_row_badge_label({ count }) : m.cm_row_comment();
	button.title = label;
	button.setAttribute('aria-label', label);
	button.innerHTML =
		'<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true"><path fill="currentColor" d="M2 2.5A1.5 1.5 0 0 1 3.5 1h9A1.5 1.5 0 0 1 14 2.5v7A1.5 1.5 0 0 1 12.5 11H6l-3.2 2.8A.5.5 0 0 1 2 13.4z"/></svg>';
	if (count) button.append(String(count));
	button.addEventListener('mousedown', (e) => e.preventDefault());
	button.addEventListener('click', () => cb.onRowButton(rowId));
	return button;
}

function decorate(state: EditorState, s: Omit<AnchorState, 'decorations'>, cb: Callbacks): DecorationSet {
	const decos: Decoration[] = [];
	const visible = new Set(s.anchors.filter((a) => !a.resolved || s.showResolved).map((a) => a.id));
	for (const a of s.anchors) {
		const r = a.type === 'text' ? s.ranges.get(a.id) : undefined;
		if (!r || !visible.has(a.id)) continue;
		const cls = ['cm-anchor', a.resolved && 'cm-resolved', a.id === s.activeId && 'cm-active'].filter(Boolean).join(' ');
		decos.push(Decoration.inline(r.from, r.to, { class: cls, 'data-comment': a.id }, { id: a.id }));
	}
	if (s.pendingRange) decos.push(Decoration.inline(s.pendingRange.from, s.pendingRange.to, { class: 'cm-anchor cm-pending' }, { id: PENDING }));
	const byRow = new Map<string, AnchorSpec[]>();
	for (const a of s.anchors) if (a.type === 'row' && visible.has(a.id)) byRow.set(a.rowId, [...(byRow.get(a.rowId) ?? []), a]);
	for (const [rowId, pos] of s.rows) {
		const threads = byRow.get(rowId) ?? [];
		if (!threads.length && !s.canComment) continue;
		const node = state.doc.nodeAt(pos);
		if (!node) continue;
		const active = threads.some((t) => t.id === s.activeId);
		const open = threads.filter((t) => !t.resolved).length;
		const cls = ['cm-row', threads.length && 'cm-row-commented', active && 'cm-row-active'].filter(Boolean).join(' ');
		decos.push(Decoration.node(pos, pos + node.nodeSize, { class: cls }));
		const count = open || threads.length;
		decos.push(
			Decoration.widget(pos + 1, () => rowButton(rowId, count, active, cb), {
				side: -1,
				ignoreSelection: true,
				stopEvent: () => true,
				key: `cm-row:${rowId}:${count}:${active}`
			})
		);
	}
	return DecorationSet.create(state.doc, decos);
}

/**
 * How far (in positions) words may have moved since this page last saw them for `findQuote` to
 * take their one occurrence (and how much of the document it reads on a keystroke). Words never
 * seen on this page are looked for everywhere, only when the threads are set.
 */
const NEAR = 2000;

/** `everywhere`: search the whole document for words never seen on this page (threads just set). */
function compute(state: EditorState, input: AnchorInput, cb: Callbacks, seen: Map<string, number>, everywhere = false): AnchorState {
	const b = bindingOf(state);
	const ranges = new Map<string, { from: number; to: number }>();
	const lastSeen = new Map<string, number>();
	for (const a of input.anchors) {
		if (a.type !== 'text') continue;
		const near = seen.get(a.id);
		const at = resolve(state, b, a) ?? (near !== undefined || everywhere ? findQuote(state.doc, a.quote, near === undefined ? undefined : { at: near, within: NEAR }) : null);
		if (at) ranges.set(a.id, at);
		const last = at?.from ?? near;
		if (last !== undefined) lastSeen.set(a.id, last);
	}
	const pendingRange = input.pending ? resolve(state, b, input.pending) : null;
	const s = { ...input, ranges, lastSeen, rows: rowPositions(state.doc), pendingRange, stale: false, retry: false };
	return { ...s, decorations: decorate(state, s, cb) };
}

/** Follows a local edit by mapping; the exact answer comes from the relative positions right after. */
function mapped(tr: Transaction, prev: AnchorState): AnchorState {
	const ranges = new Map<string, { from: number; to: number }>();
	for (const [id, r] of prev.ranges) {
		const from = tr.mapping.map(r.from, 1);
		const to = tr.mapping.map(r.to, -1);
		if (from < to) ranges.set(id, { from, to });
	}
	const p = prev.pendingRange;
	const pendingRange = p ? { from: tr.mapping.map(p.from, 1), to: tr.mapping.map(p.to, -1) } : null;
	return {
		...prev,
		ranges,
		lastSeen: new Map([...prev.lastSeen].map(([id, at]) => [id, tr.mapping.map(at)])),
		rows: rowPositions(tr.doc),
		pendingRange: pendingRange && pendingRange.from < pendingRange.to ? pendingRange : null,
		stale: true,
		decorations: prev.decorations.map(tr.mapping, tr.doc)
	};
}

export function setCommentAnchors(view: EditorView, set: Partial<AnchorInput>) {
	view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { set } satisfies Meta).setMeta('addToHistory', false));
}

/** Threads whose highlight covers `pos`, innermost (shortest) first. */
function threadsAt(s: AnchorState, pos: number): string[] {
	return [...s.ranges.entries()]
		.filter(([id, r]) => r.from <= pos && pos < r.to && s.anchors.some((a) => a.id === id && (!a.resolved || s.showResolved)))
		.sort((a, b) => a[1].to - a[1].from - (b[1].to - b[1].from))
		.map(([id]) => id);
}

export const CommentAnchors = Extension.create<Callbacks>({
	name: 'commentAnchors',
	addOptions() {
		return { onActivate: () => {}, onRowButton: () => {} };
	},
	addProseMirrorPlugins() {
		const cb: Callbacks = { onActivate: (id) => this.options.onActivate(id), onRowButton: (id) => this.options.onRowButton(id) };
		const empty: AnchorInput = { anchors: [], activeId: null, showResolved: false, pending: null, canComment: false };
		return [
			new Plugin<AnchorState>({
				key: commentAnchorsKey,
				state: {
					init: (_, state) => compute(state, empty, cb, new Map()),
					apply(tr, prev, _old, state) {
						const meta = tr.getMeta(commentAnchorsKey) as Meta | undefined;
						const input: AnchorInput = { ...pick(prev), ...meta?.set };
						if (meta) return compute(state, input, cb, prev.lastSeen, !!meta.set);
						// A remote change: resolve at once, and once more if a text anchor went missing.
						if (tr.getMeta(ySyncPluginKey)?.isChangeOrigin) {
							const next = compute(state, input, cb, prev.lastSeen);
							const missing = input.anchors.some((a) => a.type === 'text' && !next.ranges.has(a.id));
							return missing ? { ...next, retry: true } : next;
						}
						if (tr.docChanged) return mapped(tr, prev);
						return prev;
					}
				},
				props: {
					decorations: (state) => commentAnchorsKey.getState(state)?.decorations,
					handleClick(view, pos) {
						const s = commentAnchorsKey.getState(view.state);
						if (!s || !view.state.selection.empty) return false;
						const ids = threadsAt(s, pos);
						// Clicking again where threads overlap goes to the next one.
						const next = ids.length ? ids[(ids.indexOf(s.activeId ?? '') + 1) % ids.length] : null;
						if (next !== s.activeId) cb.onActivate(next);
						return false;
					}
				},
				view: () => ({
					update(view) {
						const s = commentAnchorsKey.getState(view.state);
						if (s?.retry)
							setTimeout(() => {
								if (!view.isDestroyed && commentAnchorsKey.getState(view.state)?.retry)
									view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { refresh: true } satisfies Meta).setMeta('addToHistory', false));
							}, 50);
						// A local edit reaches the Y.Doc in the sync plugin's view update; once it has,
						// resolve from the relative positions again.
						if (!s?.stale) return;
						queueMicrotask(() => {
							if (!view.isDestroyed && commentAnchorsKey.getState(view.state)?.stale)
								view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { refresh: true } satisfies Meta).setMeta('addToHistory', false));
						});
					}
				})
			})
		];
	}
});

function pick(s: AnchorState): AnchorInput {
	return { anchors: s.anchors, activeId: s.activeId, showResolved: s.showResolved, pending: s.pending, canComment: s.canComment };
}
