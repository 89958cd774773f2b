import type { AriaLabelConfig } from '@xyflow/svelte';
import type { StepKind } from '#collab/schema/flowchart.ts';
import { m } from '#lib/paraglide/messages.js';

/**
 * Every text of the flowchart editor, in one place, in the current language (getters, so each
 * read asks Paraglide). The step texts themselves are document content and stay as typed.
 */
export const FLOWCHART_LABELS = {
	get region() { return m.fc_region(); },
	comments: (count: number) => m.fc_comments({ count }),
	get toolbar() { return m.fc_toolbar(); },
	get addStep() { return m.fc_add_step(); },
	get addStepTitle() { return m.fc_add_step_title(); },
	get remove() { return m.fc_remove(); },
	get removeTitle() { return m.fc_remove_title(); },
	get autoLayout() { return m.fc_auto_layout(); },
	get autoLayoutTitle() { return m.fc_auto_layout_title(); },
	get undo() { return m.fc_undo(); },
	get undoTitle() { return m.fc_undo_title(); },
	get redo() { return m.fc_redo(); },
	get redoTitle() { return m.fc_redo_title(); },
	get fit() { return m.fc_fit(); },
	get fitTitle() { return m.fc_fit_title(); },
	/** The label a new step starts with: document content of a Chinese manual, so not translated. */
	newStep: '新步骤',
	get hint() { return m.fc_hint(); },
	get panelStep() { return m.fc_panel_step(); },
	get panelEdge() { return m.fc_panel_edge(); },
	get panelNone() { return m.fc_panel_none(); },
	panelMany: (n: number) => m.fc_panel_many({ n }),
	get label() { return m.fc_label(); },
	get kind() { return m.fc_kind(); },
	get post() { return m.fc_post(); },
	get limitDays() { return m.fc_limit_days(); },
	get limitPlaceholder() { return m.fc_limit_placeholder(); },
	get risk() { return m.fc_risk(); },
	get control() { return m.fc_control(); },
	get duty() { return m.fc_duty(); },
	get dutyPlaceholder() { return m.fc_duty_placeholder(); },
	get edgeLabel() { return m.fc_edge_label(); },
	get edgeLabelPlaceholder() { return m.fc_edge_label_placeholder(); },
	edgeFrom: (a: string, b: string) => `${a} → ${b}`,
	get level() { return m.fc_level(); },
	get levelNone() { return m.fc_level_none(); },
	get showRows() { return m.fc_show_rows(); },
	get emptyTitle() { return m.fc_empty_title(); },
	get create() { return m.fc_create(); },
	get readonlyAria() { return m.fc_readonly_aria(); },
	get badgeTitle() { return m.fc_badge_title(); },
	get noStepAfterEnd() { return m.fc_no_step_after_end(); },
	peerEditing: (name: string) => m.fc_peer_editing({ name })
};

export const KIND_LABELS: Record<StepKind, string> = {
	get start() { return m.fc_kind_start(); },
	get step() { return m.fc_kind_step(); },
	get decision() { return m.fc_kind_decision(); },
	get end() { return m.fc_kind_end(); }
};

/** Svelte Flow's own screen-reader texts and control titles. */
export const ARIA_LABELS: Partial<AriaLabelConfig> = {
	get 'node.a11yDescription.default'() { return m.fc_aria_node_default(); },
	get 'node.a11yDescription.keyboardDisabled'() { return m.fc_aria_node_keyboard_disabled(); },
	'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) => m.fc_aria_node_moved({ direction, x, y }),
	get 'edge.a11yDescription.default'() { return m.fc_aria_edge_default(); },
	get 'controls.ariaLabel'() { return m.fc_aria_controls(); },
	get 'controls.zoomIn.ariaLabel'() { return m.fc_aria_zoom_in(); },
	get 'controls.zoomOut.ariaLabel'() { return m.fc_aria_zoom_out(); },
	get 'controls.fitView.ariaLabel'() { return m.fc_fit(); },
	get 'controls.interactive.ariaLabel'() { return m.fc_aria_interactive(); },
	get 'minimap.ariaLabel'() { return m.fc_aria_minimap(); },
	get 'handle.ariaLabel'() { return m.fc_aria_handle(); }
};
