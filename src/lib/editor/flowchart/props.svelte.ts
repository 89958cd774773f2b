import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { RiskLevel } from '#collab/schema/risk-table.ts';

export type FlowchartEditorProps = {
	/** The chart's Y.Map (`doc.getMap('flowcharts').get(id)`); null while it does not exist (yet). */
	chart: Y.Map<unknown> | null;
	/** The chart's id (its key in `flowcharts`), for telling colleagues which chart a step is in. */
	chartId: string;
	/** The section's awareness, to show who works on which step; null when there is none. */
	awareness: Awareness | null;
	/** Svelte Flow editor when true; the printed SVG (same picture) when false. */
	editable: boolean;
	/** Highest linked risk level per step id (see riskLevelsByStep). */
	levels: Record<string, RiskLevel>;
	/** A risk badge was clicked: show that step's risk rows. */
	onBadgeClick?: (stepId: string) => void;
	/** Creates the chart's Y.Map when it is missing (offered to editors only). */
	onCreate?: () => void;
	/** Caption of the read-only picture. */
	title?: string;
	/** Open comment threads per step id (drawn as a small badge on the step). */
	comments?: Record<string, number>;
};

/**
 * A reactive props object for `mount(FlowchartEditor, { target, props })`: assigning its
 * fields later (props.editable = false, props.levels = …) updates the mounted editor.
 */
export function flowchartProps(init: FlowchartEditorProps): FlowchartEditorProps {
	const props = $state(init);
	return props;
}
