import * as Y from 'yjs';
import {
	readEdge,
	readFlowchart,
	readStep,
	STEP_TEXT_FIELDS,
	stepToYMap,
	type FlowchartData,
	type FlowEdge,
	type FlowStep,
	type StepTextField
} from '#collab/schema/flowchart.ts';

/** A change to one step text field as Yjs reports it (retain / insert / delete runs). */
export type TextDelta = { retain?: number; insert?: unknown; delete?: number }[];

/** What a text field hears about its value: an edit to apply to the caret, or a new value outright. */
export type TextChange = { kind: 'delta'; delta: TextDelta; value: string } | { kind: 'reset'; value: string };

/**
 * One flowchart's Y.Map as plain data, both ways, with an undo manager of its own.
 *
 * Reading: `data` is the validated chart (readFlowchart's shape). On each Yjs transaction only
 * the steps and edges it touched are read again, so a keystroke in a step's name costs one step,
 * not the chart; unchanged steps keep their object identity.
 *
 * Writing: every local edit is one transaction with this binding's own origin, writing only the
 * keys it changes (a rename and a move of the same step by two people both survive). Step text
 * fields are edited as Y.Text (insert/delete at an index), so two people typing in one name
 * merge; a field still holding a plain string (older documents) becomes Y.Text on its first
 * edit. The UndoManager tracks this origin only, so 撤销 never undoes a colleague's edit.
 */
export class FlowchartBinding {
	readonly chart: Y.Map<unknown>;
	/** Transaction origin of this editor's local edits (and the only one its undo tracks). */
	readonly origin: object;
	readonly undoManager: Y.UndoManager;
	private current: FlowchartData;
	private listeners = new Set<(data: FlowchartData) => void>();
	/** Set while this binding writes a text field, so that field's own watcher ignores the echo. */
	private typing: { stepId: string; field: StepTextField } | null = null;

	constructor(chart: Y.Map<unknown>, origin: object = {}) {
		this.chart = chart;
		this.origin = origin;
		this.current = readFlowchart(chart);
		this.undoManager = new Y.UndoManager(chart, { trackedOrigins: new Set([origin]), captureTimeout: 500 });
		chart.observeDeep(this.onEvents);
	}

	get data(): FlowchartData {
		return this.current;
	}

	/** Calls `fn` with the new data after every change (local, remote, undo). */
	subscribe(fn: (data: FlowchartData) => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	destroy() {
		this.chart.unobserveDeep(this.onEvents);
		this.undoManager.destroy();
		this.listeners.clear();
	}

	private readonly onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		const steps = new Set<string>();
		const edges = new Set<string>();
		let whole = false;
		for (const e of events) {
			const [part, id] = e.path as [string?, string?];
			if (part === undefined) whole = true;
			else if (id === undefined) for (const key of e.changes.keys.keys()) (part === 'nodes' ? steps : edges).add(key);
			else (part === 'nodes' ? steps : edges).add(String(id));
		}
		this.current = whole ? readFlowchart(this.chart) : this.patched(steps, edges);
		for (const fn of [...this.listeners]) fn(this.current);
	};

	/** The current data with the given steps and edges read again. */
	private patched(stepIds: Set<string>, edgeIds: Set<string>): FlowchartData {
		const prev = this.current;
		const nodes = stepIds.size ? { ...prev.nodes } : prev.nodes;
		let stepSetChanged = false;
		for (const id of stepIds) {
			const m = this.stepMap(id);
			const step = m ? readStep(m) : null;
			if (!!step !== !!prev.nodes[id]) stepSetChanged = true;
			if (step) nodes[id] = step;
			else delete nodes[id];
		}
		// An edge is shown only while both its steps exist: when steps come or go, check them all.
		const recheck = stepSetChanged ? this.edgeIds() : edgeIds;
		if (!recheck.size && nodes === prev.nodes) return prev;
		const edges = recheck.size ? { ...prev.edges } : prev.edges;
		for (const id of recheck) {
			const edge = readEdge(this.links()?.get(id));
			if (edge && nodes[edge.source] && nodes[edge.target]) edges[id] = edge;
			else delete edges[id];
		}
		return { nodes, edges };
	}

	private edgeIds(): Set<string> {
		return new Set([...(this.links()?.keys() ?? []), ...Object.keys(this.current.edges)]);
	}

	// ---- reading the Y.Map ----------------------------------------------------------------

	private steps(): Y.Map<unknown> | null {
		const m = this.chart.get('nodes');
		return m instanceof Y.Map ? m : null;
	}
	private links(): Y.Map<unknown> | null {
		const m = this.chart.get('edges');
		return m instanceof Y.Map ? m : null;
	}
	stepMap(id: string): Y.Map<unknown> | null {
		const m = this.steps()?.get(id);
		return m instanceof Y.Map ? m : null;
	}
	private edgeMap(id: string): Y.Map<unknown> | null {
		const m = this.links()?.get(id);
		return m instanceof Y.Map ? m : null;
	}

	/** A step's text field as it stands (Y.Text or, in older documents, a plain string). */
	text(stepId: string, field: StepTextField): string {
		const v = this.stepMap(stepId)?.get(field);
		return v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v : '';
	}

	// ---- writing ----------------------------------------------------------------------------

	/**
	 * One local edit. Typing in a field (`merge`) joins the previous undo step while it goes on;
	 * everything else (add, delete, connect, move, layout, a switch) is an undo step of its own.
	 */
	transact(fn: () => void, merge = false) {
		if (!merge) this.undoManager.stopCapturing();
		if (this.chart.doc) this.chart.doc.transact(fn, this.origin);
		else fn();
		if (!merge) this.undoManager.stopCapturing();
	}

	/** The step and edge maps, created when missing (an empty chart). Call inside `transact`. */
	private parts(): { steps: Y.Map<unknown>; links: Y.Map<unknown> } {
		let steps = this.steps();
		let links = this.links();
		if (!steps) this.chart.set('nodes', (steps = new Y.Map<unknown>()));
		if (!links) this.chart.set('edges', (links = new Y.Map<unknown>()));
		return { steps, links };
	}

	/** Writes one non-text key of one step, only when it changes. */
	setStep<K extends Exclude<keyof FlowStep, StepTextField>>(id: string, key: K, value: FlowStep[K], merge = false) {
		const m = this.stepMap(id);
		if (m && m.get(key) !== value) this.transact(() => m.set(key, value), merge);
	}

	setEdgeLabel(id: string, label: string) {
		const m = this.edgeMap(id);
		if (m && m.get('label') !== label) this.transact(() => m.set('label', label), true);
	}

	/**
	 * Replaces `remove` characters at `index` of a step's text field with `insert`, as Y.Text
	 * operations, so concurrent edits elsewhere in the same text survive. What would take the
	 * field past its length limit is left out.
	 */
	editText(stepId: string, field: StepTextField, index: number, remove: number, insert: string) {
		const m = this.stepMap(stepId);
		if (!m || (!remove && !insert)) return;
		this.typing = { stepId, field };
		try {
			this.transact(() => {
				const before = m.get(field);
				let text: Y.Text;
				if (before instanceof Y.Text) text = before;
				else {
					text = new Y.Text(typeof before === 'string' ? before : '');
					m.set(field, text);
				}
				const at = Math.min(index, text.length);
				const gone = Math.min(remove, text.length - at);
				const room = Math.max(0, STEP_TEXT_FIELDS[field] - (text.length - gone));
				if (gone) text.delete(at, gone);
				if (insert && room) text.insert(at, insert.slice(0, room));
			}, true);
		} finally {
			this.typing = null;
		}
	}

	/**
	 * Follows one text field of one step for an input showing it. `onChange` hears every change
	 * that did not come from `editText` on this very field: a delta while the field is Y.Text,
	 * a reset when the field was replaced (migrated, undone, step re-created) or is still plain.
	 */
	watchText(stepId: string, field: StepTextField, onChange: (change: TextChange) => void): () => void {
		let text: Y.Text | null = null;
		let last = this.text(stepId, field);
		const own = () => this.typing?.stepId === stepId && this.typing.field === field;
		const onText = (e: Y.YTextEvent) => {
			last = this.text(stepId, field);
			if (!own()) onChange({ kind: 'delta', delta: e.delta as TextDelta, value: last });
		};
		const attach = () => {
			const v = this.stepMap(stepId)?.get(field);
			const next = v instanceof Y.Text ? v : null;
			if (next === text) return;
			text?.unobserve(onText);
			text = next;
			text?.observe(onText);
		};
		attach();
		const off = this.subscribe(() => {
			attach();
			// Y.Text changes were already heard (shallow observers run before deep ones); this
			// catches replacements and plain-string writes.
			const value = this.text(stepId, field);
			if (value !== last) {
				last = value;
				if (!own()) onChange({ kind: 'reset', value });
			}
		});
		return () => {
			off();
			text?.unobserve(onText);
		};
	}

	/** Adds steps and links, moves steps and re-targets links: all one undo step. */
	apply(change: {
		add?: { id: string; step: FlowStep }[];
		link?: { id: string; edge: FlowEdge }[];
		retarget?: { id: string; target: string }[];
		move?: { id: string; x: number; y: number }[];
	}) {
		this.transact(() => {
			const { steps, links } = this.parts();
			for (const { id, step } of change.add ?? []) steps.set(id, stepToYMap(step));
			for (const { id, target } of change.retarget ?? []) this.edgeMap(id)?.set('target', target);
			for (const { id, edge } of change.link ?? []) {
				const m = new Y.Map<unknown>();
				links.set(id, m);
				m.set('source', edge.source);
				m.set('target', edge.target);
				m.set('label', edge.label);
			}
			this.writePositions(change.move ?? []);
		});
	}

	/** Removes steps (with every link that touches them) and links. */
	remove(stepIds: Set<string>, edgeIds: Set<string>) {
		if (!stepIds.size && !edgeIds.size) return;
		this.transact(() => {
			const { steps, links } = this.parts();
			for (const id of stepIds) steps.delete(id);
			for (const [id, e] of [...links.entries()]) {
				const ends = e instanceof Y.Map ? [e.get('source'), e.get('target')] : [];
				if (edgeIds.has(id) || ends.some((s) => stepIds.has(s as string))) links.delete(id);
			}
		});
	}

	/** Writes the positions of steps that moved (drag stop, arrow keys, layout): one undo step. */
	move(moved: { id: string; x: number; y: number }[]) {
		const writes = moved.filter(({ id, x, y }) => {
			const m = this.stepMap(id);
			return m && (m.get('x') !== Math.round(x) || m.get('y') !== Math.round(y));
		});
		if (writes.length) this.transact(() => this.writePositions(writes));
	}

	private writePositions(moved: { id: string; x: number; y: number }[]) {
		for (const { id, x, y } of moved) {
			const m = this.stepMap(id);
			if (!m) continue;
			if (m.get('x') !== Math.round(x)) m.set('x', Math.round(x));
			if (m.get('y') !== Math.round(y)) m.set('y', Math.round(y));
		}
	}

	undo() {
		this.undoManager.undo();
	}
	redo() {
		this.undoManager.redo();
	}
}
