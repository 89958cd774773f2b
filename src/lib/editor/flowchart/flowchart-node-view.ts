import type { Editor, NodeViewRenderer, NodeViewRendererProps } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorView, NodeView, ViewMutationRecord } from '@tiptap/pm/view';
import { mount, unmount } from 'svelte';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { Flowchart, FLOWCHARTS_MAP, flowchartMap } from '#collab/schema/flowchart.ts';
import { riskLevelsByStep } from '#collab/schema/flowchart-svg.ts';
import type { RiskLevel } from '#collab/schema/risk-table.ts';
import FlowchartEditor from './FlowchartEditor.svelte';
import { stepCommentCounts } from '../comments/step-counts.ts';
import { flowchartProps, type FlowchartEditorProps } from './props.svelte.ts';

/** What every flowchart node view asks of the editor that hosts it; read again on each editor update. */
export type FlowchartViewContext = {
	/** The section's Y.Doc (the one Collaboration binds). */
	doc: Y.Doc;
	/** May this user edit the chart now (write access, section not locked)? */
	editable: boolean;
	/** The section's awareness (the provider's), to show who works on which step. */
	awareness?: Awareness | null;
	/**
	 * Highest linked risk level per step id. Optional: by default the node view reads the risk
	 * rows of the document it sits in (`stepLevelsOf`), which is what a section wants.
	 */
	levels?: () => Record<string, RiskLevel>;
	/** A risk badge was clicked; e.g. `(id) => scrollToRiskRows(editor, id)`. */
	onBadgeClick(stepId: string): void;
};

/** Called with the host editor, and again on every editor update (read `editable` fresh). */
export type FlowchartViewContextGetter = (editor: Editor) => FlowchartViewContext;

/**
 * Tiptap node view of the `flowchart` atom: a `figure.flowchart-block` (contenteditable=false)
 * with FlowchartEditor mounted in it. The chart data is the Y.Map `flowcharts[id]` of the same
 * doc, so the node view never writes the ProseMirror document.
 *
 * Use it as `addNodeView() { return flowchartNodeView(getContext) }`, or take the ready
 * extension `flowchartWithView(getContext)` in place of the schema's `Flowchart`.
 */
export function flowchartNodeView(getContext: FlowchartViewContextGetter): NodeViewRenderer {
	return (props: NodeViewRendererProps) => new FlowchartNodeView(props, getContext);
}

/** The schema's Flowchart node with the interactive node view (same name, same attributes). */
export function flowchartWithView(getContext: FlowchartViewContextGetter) {
	return Flowchart.extend({
		addNodeView() {
			return flowchartNodeView(getContext);
		}
	});
}

class FlowchartNodeView implements NodeView {
	dom: HTMLElement;
	private node: PMNode;
	private editor: Editor;
	private view: EditorView;
	private getContext: FlowchartViewContextGetter;
	private props: FlowchartEditorProps;
	private component: ReturnType<typeof mount>;
	private doc: Y.Doc;
	private levelsKey = '';
	private stopComments: () => void = () => {};
	private readonly refresh = () => this.sync();
	private readonly onCharts = (event: Y.YMapEvent<unknown>) => {
		if (event.keysChanged.has(this.id)) this.props.chart = this.chartOf();
	};

	constructor({ node, editor, view }: NodeViewRendererProps, getContext: FlowchartViewContextGetter) {
		this.node = node;
		this.editor = editor;
		this.view = view;
		this.getContext = getContext;
		const ctx = getContext(editor);
		this.doc = ctx.doc;
		this.dom = document.createElement('figure');
		this.dom.className = 'flowchart-block';
		this.dom.contentEditable = 'false';
		this.dom.dataset.type = 'flowchart';
		this.dom.dataset.id = this.id;
		// A figure's user-agent margin would indent the chart; the block spans the text width.
		this.dom.style.margin = '1.2em 0';
		const levels = this.levelsOf(ctx);
		this.levelsKey = JSON.stringify(levels);
		this.props = flowchartProps({
			chart: this.chartOf(),
			chartId: this.id,
			awareness: ctx.awareness ?? null,
			editable: this.editableNow(ctx),
			levels,
			onBadgeClick: (stepId: string) => this.getContext(this.editor).onBadgeClick(stepId),
			onCreate: () => {
				// Only on an explicit click: creating it unasked could race the real chart still syncing.
				if (this.editableNow(this.getContext(this.editor))) this.props.chart = flowchartMap(this.doc, this.id);
			}
		});
		this.component = mount(FlowchartEditor, { target: this.dom, props: this.props });
		this.followComments();
		this.doc.getMap(FLOWCHARTS_MAP).observe(this.onCharts);
		editor.on('transaction', this.refresh);
		editor.on('update', this.refresh);
	}

	/** Open threads on this chart's steps, kept current by the comments column. */
	private followComments() {
		this.stopComments();
		this.stopComments = stepCommentCounts(this.doc).subscribe((counts) => {
			this.props.comments = counts[this.id] ?? {};
		});
	}

	private get id(): string {
		return String(this.node.attrs.id ?? '');
	}

	private chartOf(): Y.Map<unknown> | null {
		const chart = this.doc.getMap(FLOWCHARTS_MAP).get(this.id);
		return chart instanceof Y.Map ? chart : null;
	}

	private editableNow(ctx: FlowchartViewContext): boolean {
		// During the editor's construction `isEditable` is not answerable yet; the context decides.
		return ctx.editable && (this.view.editable ?? true);
	}

	private levelsOf(ctx: FlowchartViewContext): Record<string, RiskLevel> {
		try {
			return ctx.levels ? ctx.levels() : stepLevelsOf(this.view.state.doc);
		} catch {
			return stepLevelsOf(this.view.state.doc);
		}
	}

	/** Pulls `editable` and `levels` from the context; assigns only what changed. */
	private sync() {
		const ctx = this.getContext(this.editor);
		const editable = this.editableNow(ctx);
		if (this.props.editable !== editable) this.props.editable = editable;
		if (this.props.awareness !== (ctx.awareness ?? null)) this.props.awareness = ctx.awareness ?? null;
		const levels = this.levelsOf(ctx);
		const key = JSON.stringify(levels);
		if (key !== this.levelsKey) {
			this.levelsKey = key;
			this.props.levels = levels;
		}
		if (ctx.doc !== this.doc) {
			this.doc.getMap(FLOWCHARTS_MAP).unobserve(this.onCharts);
			this.doc = ctx.doc;
			this.doc.getMap(FLOWCHARTS_MAP).observe(this.onCharts);
			this.props.chart = this.chartOf();
			this.followComments();
		}
	}

	update(node: PMNode): boolean {
		if (node.type !== this.node.type) return false;
		const idChanged = node.attrs.id !== this.node.attrs.id;
		this.node = node;
		if (idChanged) {
			this.dom.dataset.id = this.id;
			this.props.chartId = this.id;
			this.props.chart = this.chartOf();
		}
		this.sync();
		return true;
	}

	/** Events inside the chart belong to it; a click on the figure's own frame selects the node. */
	stopEvent(event: Event): boolean {
		return event.target !== this.dom;
	}

	ignoreMutation(_mutation: ViewMutationRecord): boolean {
		return true;
	}

	selectNode() {
		this.dom.classList.add('ProseMirror-selectednode');
	}

	deselectNode() {
		this.dom.classList.remove('ProseMirror-selectednode');
	}

	destroy() {
		this.editor.off('transaction', this.refresh);
		this.editor.off('update', this.refresh);
		this.doc.getMap(FLOWCHARTS_MAP).unobserve(this.onCharts);
		this.stopComments();
		void unmount(this.component);
	}
}

/** Highest risk level per flowchart step, from the `riskRow` nodes of a section's document. */
export function stepLevelsOf(doc: PMNode): Record<string, RiskLevel> {
	const rows: { stepId: string | null; level: string | null }[] = [];
	doc.descendants((node) => {
		if (node.type.name === 'riskRow') {
			rows.push({ stepId: node.attrs.stepId ?? null, level: node.attrs.level ?? null });
			return false;
		}
		return true;
	});
	return riskLevelsByStep(rows);
}

/**
 * Scrolls to the risk rows linked to `stepId` and flashes them. Works from the ProseMirror
 * document, so it does not depend on how the risk table draws its rows. False when none.
 */
export function scrollToRiskRows(editor: Editor, stepId: string): boolean {
	const els: HTMLElement[] = [];
	editor.state.doc.descendants((node, pos) => {
		if (node.type.name === 'riskRow') {
			if (node.attrs.stepId === stepId) {
				const el = editor.view.nodeDOM(pos);
				if (el instanceof HTMLElement) els.push(el);
			}
			return false;
		}
		return true;
	});
	if (!els.length) return false;
	els[0].scrollIntoView({ behavior: 'smooth', block: 'center' });
	for (const el of els)
		el.animate?.([{ backgroundColor: 'rgba(198, 40, 40, 0.18)' }, { backgroundColor: 'rgba(198, 40, 40, 0)' }], { duration: 1800, easing: 'ease-out' });
	return true;
}
