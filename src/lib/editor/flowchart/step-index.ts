import * as Y from 'yjs';
import { FLOWCHARTS_MAP, orderedSteps, readStep, type FlowStep } from '#collab/schema/flowchart.ts';

/** A step as the risk rows list it. */
export type StepEntry = { id: string; label: string };

/** What changed in a section's steps: their list (added, removed, reordered) or only some names. */
export type StepIndexChange = { list: boolean; labels: ReadonlySet<string> };

type Light = Pick<FlowStep, 'label' | 'kind' | 'y'>;
type Chart = { steps: Map<string, Light>; links: Map<string, { source: string; target: string }> };

const indexes = new WeakMap<Y.Doc, StepIndex>();

/**
 * Every flowchart step of a section, in reading order, kept up to date incrementally: one
 * observer for the whole document, and each change reads again only the steps and links it
 * touched. Risk rows (each with a step picker) subscribe to it instead of reading every chart
 * themselves, so typing in a step's name costs one step, and each row only renames one option.
 */
export class StepIndex {
	private doc: Y.Doc;
	private charts = new Map<string, Chart>();
	private entries: StepEntry[] = [];
	private listeners = new Set<(change: StepIndexChange) => void>();

	/** The one index of `doc`. */
	static of(doc: Y.Doc): StepIndex {
		let index = indexes.get(doc);
		if (!index) indexes.set(doc, (index = new StepIndex(doc)));
		return index;
	}

	private constructor(doc: Y.Doc) {
		this.doc = doc;
		const charts = doc.getMap<unknown>(FLOWCHARTS_MAP);
		for (const id of charts.keys()) this.readChart(id);
		this.entries = this.ordered();
		charts.observeDeep(this.onEvents);
	}

	list(): readonly StepEntry[] {
		return this.entries;
	}

	subscribe(fn: (change: StepIndexChange) => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	private readonly onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		const labels = new Set<string>();
		let reorder = false;
		for (const e of events) {
			const [chartId, part, id] = e.path as [string?, string?, string?];
			if (chartId === undefined) {
				for (const key of e.changes.keys.keys()) this.readChart(key);
				reorder = true;
			} else if (part === undefined) {
				this.readChart(chartId);
				reorder = true;
			} else {
				const chart = this.charts.get(chartId);
				if (!chart) {
					this.readChart(chartId);
					reorder = true;
					continue;
				}
				const ids = id === undefined ? [...e.changes.keys.keys()] : [String(id)];
				for (const key of ids) {
					if (part === 'nodes') {
						const before = chart.steps.get(key);
						const after = this.readStepOf(chartId, key);
						if (after) chart.steps.set(key, after);
						else chart.steps.delete(key);
						if (!before || !after || before.kind !== after.kind || before.y !== after.y) reorder = true;
						else if (before.label !== after.label) labels.add(key);
					} else {
						const link = this.readLinkOf(chartId, key);
						if (link) chart.links.set(key, link);
						else chart.links.delete(key);
						reorder = true;
					}
				}
			}
		}
		let list = false;
		if (reorder) {
			const next = this.ordered();
			list = next.length !== this.entries.length || next.some((s, i) => s.id !== this.entries[i].id);
			if (!list) next.forEach((s, i) => s.label !== this.entries[i].label && labels.add(s.id));
			this.entries = next;
		} else if (labels.size) {
			this.entries = this.entries.map((s) => (labels.has(s.id) ? { id: s.id, label: this.labelOf(s.id) ?? s.label } : s));
		}
		if (!list && !labels.size) return;
		const change = { list, labels };
		for (const fn of [...this.listeners]) fn(change);
	};

	private labelOf(stepId: string): string | undefined {
		for (const chart of this.charts.values()) {
			const s = chart.steps.get(stepId);
			if (s) return s.label;
		}
		return undefined;
	}

	private ordered(): StepEntry[] {
		return [...this.charts.values()].flatMap((c) =>
			orderedSteps({ nodes: Object.fromEntries(c.steps), edges: Object.fromEntries(c.links) }).map(([id, s]) => ({ id, label: s.label }))
		);
	}

	private part(chartId: string, part: 'nodes' | 'edges'): Y.Map<unknown> | null {
		const chart = this.doc.getMap<unknown>(FLOWCHARTS_MAP).get(chartId);
		const m = chart instanceof Y.Map ? chart.get(part) : null;
		return m instanceof Y.Map ? m : null;
	}

	private readStepOf(chartId: string, stepId: string): Light | null {
		const m = this.part(chartId, 'nodes')?.get(stepId);
		const step = m instanceof Y.Map ? readStep(m) : null;
		return step && { label: step.label, kind: step.kind, y: step.y };
	}

	private readLinkOf(chartId: string, edgeId: string): { source: string; target: string } | null {
		const m = this.part(chartId, 'edges')?.get(edgeId);
		if (!(m instanceof Y.Map)) return null;
		const [source, target] = [m.get('source'), m.get('target')];
		return typeof source === 'string' && typeof target === 'string' ? { source, target } : null;
	}

	private readChart(chartId: string) {
		const steps = this.part(chartId, 'nodes');
		const links = this.part(chartId, 'edges');
		if (!this.doc.getMap<unknown>(FLOWCHARTS_MAP).has(chartId)) {
			this.charts.delete(chartId);
			return;
		}
		const chart: Chart = { steps: new Map(), links: new Map() };
		for (const id of steps?.keys() ?? []) {
			const s = this.readStepOf(chartId, id);
			if (s) chart.steps.set(id, s);
		}
		for (const id of links?.keys() ?? []) {
			const l = this.readLinkOf(chartId, id);
			if (l) chart.links.set(id, l);
		}
		this.charts.set(chartId, chart);
	}
}
