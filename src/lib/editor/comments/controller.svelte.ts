import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import type * as Y from 'yjs';
import { DOC_MESSAGE } from '#collab/protocol.ts';
import { orderedSteps, readAllFlowcharts } from '#collab/schema/flowchart.ts';
import { m } from '#lib/paraglide/messages.js';
import { CommentAnchors, commentAnchorsKey, relativeRange, setCommentAnchors, type AnchorSpec } from './anchors-plugin.ts';
import { CommentRequestError, CommentsApi } from './api.ts';
import { publishStepCounts } from './step-counts.ts';
import type { NewAnchor, Thread } from './types.ts';

/** What the section editor lends the comments: its document, the flowchart, whether all is saved. */
export type EditorHost = {
	/** The Y.Doc the editor binds (relative positions are the same as in the network copy). */
	doc: Y.Doc;
	focusStep(stepId: string): void;
	/** True when the server holds every local edit (a new anchor may refer to them). */
	saved(): boolean;
};

export type Composer = { anchor: NewAnchor; label: string; draft: string; error: string | null; sending: boolean };

export type StepChoice = { flowchartId: string; stepId: string; label: string };

const messageOf = (err: unknown) => (err instanceof CommentRequestError ? err.message : m.cm_error_network());

/**
 * The comment threads of one open section: fetched from the API, refetched whenever the server
 * says they changed, drawn into the editor through the CommentAnchors plugin, and what the
 * column and the boxes do with them (new thread, reply, resolve, reopen).
 */
export class CommentsController {
	readonly canComment: boolean;
	threads = $state.raw<Thread[]>([]);
	loaded = $state(false);
	loadError = $state<string | null>(null);
	activeId = $state<string | null>(null);
	showResolved = $state(false);
	composer = $state<Composer | null>(null);
	replyDrafts = $state<Record<string, string>>({});
	threadErrors = $state<Record<string, string>>({});
	busy = $state<Record<string, boolean>>({});
	/** The current non-empty text selection, where a new comment could go. */
	selection = $state<{ from: number; to: number } | null>(null);
	/** Bumped on every editor transaction and resize: the column re-measures. */
	layoutVersion = $state(0);
	editor = $state.raw<Editor | null>(null);
	/** The editor has had the server's copy once: from then on, whether words still exist is known here, live. */
	docReady = $state(false);

	private readonly api: CommentsApi;
	private host: EditorHost | null = null;
	private inflight: Promise<void> | null = null;
	private again = false;

	constructor(sectionId: string, canComment: boolean) {
		this.api = new CommentsApi(sectionId);
		this.canComment = canComment;
	}

	/** The editor extension that draws the anchors; add it to the editor's extensions. */
	extension() {
		return CommentAnchors.configure({
			onActivate: (id) => this.activate(id),
			onRowButton: (rowId) => this.onRowButton(rowId)
		});
	}

	/** Called once the editor exists; returns the function that lets go of it. */
	attach(editor: Editor, host: EditorHost): () => void {
		this.editor = editor;
		this.host = host;
		const onTransaction = () => {
			if (!this.docReady && host.saved()) this.docReady = true;
			this.layoutVersion++;
			this.selection = selectedText(editor);
		};
		editor.on('transaction', onTransaction);
		const resize = new ResizeObserver(() => this.layoutVersion++);
		resize.observe(editor.view.dom);
		this.pushAnchors();
		void this.refresh();
		return () => {
			editor.off('transaction', onTransaction);
			resize.disconnect();
			this.editor = null;
			this.host = null;
		};
	}

	/** A stateless message from the collaboration server for this document. */
	onStateless(payload: string) {
		let msg: unknown;
		try {
			msg = JSON.parse(payload);
		} catch {
			return;
		}
		if ((msg as { type?: unknown } | null)?.type === DOC_MESSAGE.comments) void this.refresh();
	}

	/** Fetches the threads; calls made while one is under way fold into one more fetch after it. */
	refresh(): Promise<void> {
		if (this.inflight) {
			this.again = true;
			return this.inflight;
		}
		this.inflight = (async () => {
			do {
				this.again = false;
				try {
					this.setThreads(await this.api.list());
					this.loadError = null;
				} catch (err) {
					this.loadError = messageOf(err);
				}
			} while (this.again);
		})().finally(() => {
			this.inflight = null;
			this.loaded = true;
		});
		return this.inflight;
	}

	private setThreads(threads: Thread[]) {
		this.threads = threads;
		if (this.activeId && !threads.some((t) => t.id === this.activeId)) this.activeId = null;
		if (this.host) publishStepCounts(this.host.doc, threads);
		this.pushAnchors();
	}

	/** Hands the editor what it draws: anchors, the active one, the range of a comment being written. */
	private pushAnchors() {
		const view = this.editor?.view;
		if (!view || view.isDestroyed) return;
		const anchors: AnchorSpec[] = [];
		for (const t of this.threads) {
			if (t.anchor.type === 'text') anchors.push({ id: t.id, resolved: t.resolved, type: 'text', start: t.anchor.start, end: t.anchor.end, quote: t.quote });
			if (t.anchor.type === 'row') anchors.push({ id: t.id, resolved: t.resolved, type: 'row', rowId: t.anchor.rowId });
		}
		const a = this.composer?.anchor;
		const pending = a?.type === 'text' ? { start: a.start, end: a.end } : null;
		setCommentAnchors(view, { anchors, activeId: this.activeId, showResolved: this.showResolved, pending, canComment: this.canComment });
	}

	get visibleThreads(): Thread[] {
		return this.threads.filter((t) => this.showResolved || !t.resolved);
	}

	get resolvedCount(): number {
		return this.threads.filter((t) => t.resolved).length;
	}

	setShowResolved(show: boolean) {
		this.showResolved = show;
		if (!show && this.activeId && this.threads.find((t) => t.id === this.activeId)?.resolved) this.activeId = null;
		this.pushAnchors();
	}

	/** Opens a thread (or none); with `reveal`, brings its anchor into view. */
	activate(id: string | null, reveal: 'nearest' | 'center' | false = false) {
		this.activeId = id;
		this.pushAnchors();
		const t = id ? this.threads.find((x) => x.id === id) : undefined;
		if (t && reveal) this.reveal(t, reveal);
	}

	private reveal(t: Thread, block: 'nearest' | 'center') {
		const view = this.editor?.view;
		if (!view || this.detachedNow(t)) return;
		if (t.anchor.type === 'step') {
			this.host?.focusStep(t.anchor.stepId);
			return;
		}
		const pos = this.positionOf(t);
		if (pos === null || pos < 0) return;
		const dom = t.anchor.type === 'row' ? view.nodeDOM(pos) : view.domAtPos(pos).node;
		const el = dom instanceof Element ? dom : dom?.parentElement;
		el?.scrollIntoView({ block, behavior: 'smooth' });
	}

	/**
	 * Whether a thread's words are gone. The server says so when it lists the threads; after that the
	 * editor knows first (someone deletes the words, or undoes the deletion) and no message comes.
	 */
	detachedNow(t: Thread): boolean {
		void this.layoutVersion;
		if (t.anchor.type !== 'text' || !this.docReady || !this.editor) return t.detached;
		return !commentAnchorsKey.getState(this.editor.state)?.ranges.has(t.id);
	}

	/** The document position a thread belongs at (for order and alignment); -1 for section notes, null when gone. */
	positionOf(t: Thread): number | null {
		const s = this.editor ? commentAnchorsKey.getState(this.editor.state) : undefined;
		if (t.anchor.type === 'section') return -1;
		if (this.detachedNow(t) || !s || !this.editor) return null;
		if (t.anchor.type === 'text') return s.ranges.get(t.id)?.from ?? null;
		if (t.anchor.type === 'row') return s.rows.get(t.anchor.rowId) ?? null;
		return flowchartPos(this.editor.state.doc, t.anchor.flowchartId);
	}

	/** Where a new comment being written belongs. */
	composerPosition(): number | null {
		const a = this.composer?.anchor;
		const s = this.editor ? commentAnchorsKey.getState(this.editor.state) : undefined;
		if (!a || !s || !this.editor) return null;
		if (a.type === 'text') return s.pendingRange?.from ?? null;
		if (a.type === 'row') return s.rows.get(a.rowId) ?? null;
		return flowchartPos(this.editor.state.doc, a.flowchartId);
	}

	/** The steps of the section's flowcharts, in flow order, to comment on one. */
	steps(): StepChoice[] {
		if (!this.host) return [];
		return Object.entries(readAllFlowcharts(this.host.doc)).flatMap(([flowchartId, chart]) =>
			orderedSteps(chart).map(([stepId, s]) => ({ flowchartId, stepId, label: s.label || m.cm_step_unnamed() }))
		);
	}

	focusStep(stepId: string) {
		this.host?.focusStep(stepId);
	}

	/**
	 * The text selection a new comment would go on, when the person can see it selected. A read-only
	 * editor keeps its last selection when the page's selection moves elsewhere; that one does not count.
	 */
	liveSelection(): { from: number; to: number } | null {
		const view = this.editor?.view;
		const dom = typeof document === 'undefined' ? null : document.getSelection();
		if (!this.canComment || !view || !this.selection || !dom || dom.isCollapsed || !dom.anchorNode || !view.dom.contains(dom.anchorNode)) return null;
		return this.selection;
	}

	/** A new comment on the selected text. False when nothing commentable is selected. */
	startOnSelection(): boolean {
		const editor = this.editor;
		const sel = this.liveSelection();
		if (!editor || !sel) return false;
		const rel = relativeRange(editor.state, sel.from, sel.to);
		if (!rel) return false;
		const label = editor.state.doc.textBetween(sel.from, sel.to, ' ', ' ');
		this.open({ type: 'text', from: sel.from, to: sel.to, ...rel }, label);
		return true;
	}

	startOnRow(rowId: string) {
		if (!this.canComment || !this.editor) return;
		this.open({ type: 'row', rowId }, rowLabel(this.editor.state.doc, rowId));
	}

	startOnStep(choice: StepChoice) {
		if (!this.canComment) return;
		this.open({ type: 'step', flowchartId: choice.flowchartId, stepId: choice.stepId }, choice.label);
	}

	private open(anchor: NewAnchor, label: string) {
		// Input in a box already open is kept: the new one waits until that is sent or cancelled.
		if (this.composer?.draft.trim()) {
			this.composer.error = m.cm_finish_first();
			return;
		}
		this.composer = { anchor, label, draft: '', error: null, sending: false };
		this.activeId = null;
		this.pushAnchors();
	}

	/** A row's badge: open its thread, or start one when it has none. */
	private onRowButton(rowId: string) {
		const first = this.visibleThreads.find((t) => t.anchor.type === 'row' && t.anchor.rowId === rowId);
		if (first) this.activate(first.id === this.activeId ? null : first.id);
		else this.startOnRow(rowId);
	}

	cancelComposer() {
		this.composer = null;
		this.pushAnchors();
	}

	async submitComposer() {
		const c = this.composer;
		if (!c || c.sending || !c.draft.trim()) return;
		c.sending = true;
		c.error = null;
		try {
			let anchor = c.anchor;
			if (anchor.type === 'text') {
				// The server must hold the words first (an editor may have just typed them).
				await this.untilSaved();
				const now = this.editor ? commentAnchorsKey.getState(this.editor.state)?.pendingRange : null;
				if (now) anchor = { ...anchor, ...now };
			}
			const { id } = await this.api.create(anchor, c.draft.trim());
			if (this.composer === c) this.composer = null;
			if (anchor.type === 'text') this.collapseSelection();
			await this.refresh();
			this.activate(id);
		} catch (err) {
			c.error = messageOf(err);
		} finally {
			c.sending = false;
		}
	}

	/** Once its comment is made, the selection has done its job; the floating button goes away with it. */
	private collapseSelection() {
		const view = this.editor?.view;
		const sel = view?.state.selection;
		if (!view || !sel || sel.empty) return;
		view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, sel.to)));
	}

	private async untilSaved() {
		for (let i = 0; i < 50 && this.host && !this.host.saved(); i++) await new Promise((r) => setTimeout(r, 100));
		if (this.host && !this.host.saved()) throw new CommentRequestError(m.cm_error_unsaved());
	}

	async reply(threadId: string) {
		const body = (this.replyDrafts[threadId] ?? '').trim();
		if (!body || this.busy[threadId]) return;
		await this.run(threadId, async () => {
			await this.api.reply(threadId, body);
			// Only what was sent is cleared; anything typed meanwhile stays.
			if ((this.replyDrafts[threadId] ?? '').trim() === body) delete this.replyDrafts[threadId];
		});
	}

	setResolved(threadId: string, resolved: boolean) {
		return this.run(threadId, async () => {
			await this.api.setResolved(threadId, resolved);
			if (resolved && this.activeId === threadId && !this.showResolved) this.activeId = null;
		});
	}

	private async run(threadId: string, action: () => Promise<void>) {
		this.busy[threadId] = true;
		delete this.threadErrors[threadId];
		try {
			await action();
			await this.refresh();
		} catch (err) {
			this.threadErrors[threadId] = messageOf(err);
		} finally {
			delete this.busy[threadId];
		}
	}

	people(q: string) {
		return this.api.people(q);
	}
}

function selectedText(editor: Editor): { from: number; to: number } | null {
	const sel = editor.state.selection;
	if (sel.empty || !(sel instanceof TextSelection)) return null;
	return editor.state.doc.textBetween(sel.from, sel.to, ' ', ' ').trim() ? { from: sel.from, to: sel.to } : null;
}

function flowchartPos(doc: PMNode, flowchartId: string): number | null {
	let found: number | null = null;
	doc.descendants((node, pos) => {
		if (found !== null) return false;
		if (node.type.name === 'flowchart' && node.attrs.id === flowchartId) found = pos;
		return !node.isTextblock;
	});
	return found;
}

/** A risk row as people name it: its 风险点 text. */
function rowLabel(doc: PMNode, rowId: string): string {
	let label = '';
	doc.descendants((node) => {
		if (label) return false;
		if (node.type.name === 'riskRow' && node.attrs.id === rowId) {
			node.forEach((cell) => {
				if (cell.attrs.field === 'point') label = cell.textContent;
			});
			return false;
		}
		return !node.isTextblock;
	});
	return label || m.cm_row_unnamed();
}
