import { getContext, setContext } from 'svelte';
import type { StepPeer } from './chart-presence.ts';

/** What the step and edge components of one flowchart need from its editor. */
export type FlowchartContext = {
	onBadgeClick?: (stepId: string) => void;
	/** Colleagues at steps of this chart (reactive). */
	readonly peers: StepPeer[];
	/** Open comment threads per step id (reactive). */
	readonly comments: Record<string, number>;
};

const KEY = Symbol('fangkong-flowchart');

export function setFlowchartContext(ctx: FlowchartContext) {
	setContext(KEY, ctx);
}

export function flowchartContext(): FlowchartContext {
	return getContext<FlowchartContext>(KEY) ?? { peers: [], comments: {} };
}

/**
 * DOM event (bubbling, `detail: { stepId }`) by which other blocks ask the flowchart that holds
 * a step to show it: the editable chart selects and centres it, the read-only one flashes it.
 * The risk table's 风险点 link dispatches it (SectionEditor's focusStep).
 */
export const FOCUS_STEP_EVENT = 'fangkong:focus-step';
