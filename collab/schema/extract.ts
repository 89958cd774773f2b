import { RISK_CATEGORIES, RiskRowAttrs, type RiskCategory, type RiskLevel } from './risk-table.ts';

/**
 * Reading the manual's blocks out of ProseMirror JSON (as the API returns it), for the
 * distribution map, overviews and export. Tolerant: unknown shapes yield empty results.
 */
type JSONNode = { type?: string; attrs?: Record<string, unknown>; content?: JSONNode[]; text?: string };

export type RiskRowData = {
	id: string | null;
	stepId: string | null;
	level: RiskLevel | null;
	category: RiskCategory;
	deadline: string | null;
	cells: Record<string, string>;
};

export function textOf(node: JSONNode | undefined): string {
	if (!node) return '';
	if (typeof node.text === 'string') return node.text;
	return (node.content ?? []).map(textOf).join('');
}

function walk(node: JSONNode | undefined, visit: (n: JSONNode) => boolean | void) {
	if (!node) return;
	if (visit(node) === false) return;
	for (const c of node.content ?? []) walk(c, visit);
}

export function riskRowsOf(doc: unknown): RiskRowData[] {
	const rows: RiskRowData[] = [];
	walk(doc as JSONNode, (n) => {
		if (n.type !== 'riskRow') return;
		const cells: Record<string, string> = {};
		for (const c of n.content ?? []) cells[String(c.attrs?.field ?? '')] = textOf(c);
		rows.push({ ...rowAttrs(n.attrs ?? {}), cells });
		return false;
	});
	return rows;
}

/** A row's attributes through the schema's own rules; a value that does not fit reads as the default. */
function rowAttrs(a: Record<string, unknown>) {
	const get = <K extends keyof typeof RiskRowAttrs>(key: K, fallback: RiskRowAttrs[K]): RiskRowAttrs[K] => {
		const parsed = RiskRowAttrs[key].safeParse(a[key]);
		return parsed.success ? (parsed.data as RiskRowAttrs[K]) : fallback;
	};
	return { id: get('id', null), stepId: get('stepId', null), level: get('level', null), category: get('category', '权力行使'), deadline: get('deadline', null) };
}

export type PowerItemData = { fields: Record<string, string>; basis: { law: string; article: string }[] };

export function powerItemOf(doc: unknown): PowerItemData | null {
	let found: PowerItemData | null = null;
	walk(doc as JSONNode, (n) => {
		if (found || n.type !== 'powerItem') return;
		const fields: Record<string, string> = {};
		const basis: PowerItemData['basis'] = [];
		for (const c of n.content ?? []) {
			if (c.type === 'powerItemField') fields[String(c.attrs?.field ?? '')] = textOf(c);
			if (c.type === 'legalBasis')
				for (const item of c.content ?? [])
					basis.push({ law: textOf(item.content?.[0]), article: textOf(item.content?.[1]) });
		}
		found = { fields, basis };
		return false;
	});
	return found;
}

export function flowchartIdsOf(doc: unknown): string[] {
	const ids: string[] = [];
	walk(doc as JSONNode, (n) => {
		if (n.type === 'flowchart' && typeof n.attrs?.id === 'string') ids.push(n.attrs.id);
	});
	return ids;
}

/** Counts of graded risks by level and by category (ungraded rows counted apart). */
export function riskCounts(rows: RiskRowData[]) {
	const byLevel: Record<RiskLevel | 'none', number> = { high: 0, medium: 0, low: 0, none: 0 };
	const byCategory = Object.fromEntries(RISK_CATEGORIES.map((c) => [c, 0])) as Record<RiskCategory, number>;
	for (const r of rows) {
		if (!r.cells.point && !r.cells.form && !r.level) continue; // an empty template row is no risk yet
		byLevel[r.level ?? 'none']++;
		byCategory[r.category]++;
	}
	return { byLevel, byCategory, total: byLevel.high + byLevel.medium + byLevel.low + byLevel.none };
}
