import { mergeAttributes, Node } from '@tiptap/core';
import * as Y from 'yjs';
import { z } from 'zod';
import { BlockId, checkedAttr } from './attrs.ts';

/**
 * 廉政风险防控表 — one row per risk point. Text columns are inline-content cells (concurrent typing
 * merges character by character); scalar facts of a row are row attributes.
 */
export const RISK_CELLS = [
	{ key: 'point', label: '风险点' },
	{ key: 'form', label: '风险表现形式' },
	{ key: 'measure', label: '防控措施' },
	{ key: 'post', label: '责任岗位/责任人' },
	{ key: 'leader', label: '责任领导' },
	{ key: 'plan', label: '制度建设计划' }
] as const;
export type RiskCellKey = (typeof RISK_CELLS)[number]['key'];
/** A row holds exactly these cells, in this order. */
export const ROW_PARTS = RISK_CELLS.map(({ key }) => ({ node: 'riskCell', field: key }));

export const RISK_CATEGORIES = ['权力行使', '制度机制', '思想道德'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];
export const RiskCategory = z.enum(RISK_CATEGORIES);

export const RISK_LEVELS = ['high', 'medium', 'low'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RiskLevel = z.enum(RISK_LEVELS);
/** 完成时限: a calendar date, YYYY-MM-DD. */
export const Deadline = z.iso.date();
export const RiskCellField = z.enum(RISK_CELLS.map(({ key }) => key) as [RiskCellKey, ...RiskCellKey[]]);
export const LEVEL_LABEL: Record<RiskLevel, string> = { high: '高', medium: '中', low: '低' };
export const LEVEL_COLOR: Record<RiskLevel, string> = { high: '#c62828', medium: '#ef6c00', low: '#2e7d32' };
/** Higher number, graver risk: used to pick the badge colour of a step with several rows. */
export const LEVEL_RANK: Record<RiskLevel, number> = { high: 3, medium: 2, low: 1 };

export function newRowId(): string {
	return 'r' + Math.random().toString(36).slice(2, 10);
}

export const RiskTable = Node.create({
	name: 'riskTable',
	group: 'block',
		// Zero rows is allowed: two people deleting the last rows at once must not lock the later one out (the self-review asks for rows).
	content: 'riskRow*',
	isolating: true,
	defining: true,
	addAttributes() {
		return { id: checkedAttr('riskTable', 'id', BlockId.nullable(), { default: null }) };
	},
	parseHTML() {
		return [{ tag: 'div[data-type="risk-table"]', contentElement: '.rt-body' }];
	},
	renderHTML({ HTMLAttributes }) {
		return [
			'div',
			mergeAttributes(HTMLAttributes, { 'data-type': 'risk-table', class: 'risk-table' }),
			['div', { class: 'rt-body' }, 0]
		];
	}
});

/** A string attribute mirrored as `data-<html>` in the DOM, its values decided by `schema`. */
const attr = (node: string, key: string, schema: z.ZodType, fallback: string | null, html = key) =>
	checkedAttr(node, key, schema, {
		default: fallback,
		parseHTML: (el: HTMLElement) => el.getAttribute(`data-${html}`) || fallback,
		renderHTML: (attrs: Record<string, unknown>) => (attrs[key] ? { [`data-${html}`]: attrs[key] } : {})
	});

/** What each of a risk row's attributes may hold; the editor and readers use the same schemas. */
export const RiskRowAttrs = {
	id: BlockId.nullable(),
	category: RiskCategory,
	level: RiskLevel.nullable(),
	deadline: Deadline.nullable(),
	stepId: BlockId.nullable()
};
export type RiskRowAttrs = { [K in keyof typeof RiskRowAttrs]: z.infer<(typeof RiskRowAttrs)[K]> };

export const RiskRow = Node.create({
	name: 'riskRow',
	content: 'riskCell{6}',
	isolating: true,
	addAttributes() {
		return {
			id: attr('riskRow', 'id', RiskRowAttrs.id, null),
			category: attr('riskRow', 'category', RiskRowAttrs.category, '权力行使'),
			level: attr('riskRow', 'level', RiskRowAttrs.level, null),
			deadline: attr('riskRow', 'deadline', RiskRowAttrs.deadline, null),
			stepId: attr('riskRow', 'stepId', RiskRowAttrs.stepId, null, 'step-id')
		};
	},
	parseHTML() {
		return [{ tag: 'div[data-type="risk-row"]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['div', mergeAttributes(HTMLAttributes, { 'data-type': 'risk-row', class: 'risk-row' }), 0];
	}
});

export const RiskCell = Node.create({
	name: 'riskCell',
	content: 'text*',
	marks: '',
	isolating: true,
	addAttributes() {
		return { field: attr('riskCell', 'field', RiskCellField, 'point') };
	},
	parseHTML() {
		return [{ tag: 'div[data-type="risk-cell"]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['div', mergeAttributes(HTMLAttributes, { 'data-type': 'risk-cell', class: 'risk-cell' }), 0];
	}
});

export const riskTableExtensions = [RiskTable, RiskRow, RiskCell];

/** The Yjs element of the risk row with `rowId` in a section's text, or null. */
export function findRiskRowElement(root: Y.XmlFragment | Y.XmlElement, rowId: string): Y.XmlElement | null {
	for (const child of root.toArray()) {
		if (!(child instanceof Y.XmlElement)) continue;
		if (child.nodeName === 'riskRow') {
			if (child.getAttribute('id') === rowId) return child;
			continue;
		}
		const found = findRiskRowElement(child, rowId);
		if (found) return found;
	}
	return null;
}
