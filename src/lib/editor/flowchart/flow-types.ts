import type { Edge, Node } from '@xyflow/svelte';
import type { FlowStep } from '#collab/schema/flowchart.ts';
import type { Box, Point } from '#collab/schema/flowchart-route.ts';
import type { RiskLevel } from '#collab/schema/risk-table.ts';

/** Svelte Flow's node and edge types of the flowchart editor (StepNode.svelte, FlowEdge.svelte). */

export type StepNodeData = { step: FlowStep; level: RiskLevel | null };
export type StepNodeType = Node<StepNodeData, 'step'>;

/** The route and label plate come from routeChart (flow-view.ts), which sees every step. */
export type FlowEdgeData = { label: string; points: Point[]; plate: Box | null };
export type FlowEdgeType = Edge<FlowEdgeData, 'flow'>;
