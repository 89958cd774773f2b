import { flowchartIdsOf, powerItemOf, riskRowsOf, type RiskRowData } from './extract.ts';
import type { FlowchartData } from './flowchart.ts';
import { RISK_CELLS } from './risk-table.ts';
import { POWER_FIELDS } from './power-item.ts';

/**
 * 自我复查 — the plan's self-review (一.(一)5) made automatic: are the power items complete, is the
 * flow well-formed, were the risks found and graded, are the measures in place. Pure: the
 * server runs it before a submission, the browser runs it live beside the text.
 */

export const CHECKS = ['power_item', 'flow', 'risks', 'measures'] as const;
export type Check = (typeof CHECKS)[number];
export const CHECK_LABEL: Record<Check, string> = {
	power_item: '职权事项是否清理完整',
	flow: '工作流程是否规范',
	risks: '廉政风险查找是否准确',
	measures: '防控措施制定是否到位'
};

/** Where the problem is, so the UI can take the user there. */
export type ProblemTarget =
	| { type: 'field'; field: string }
	| { type: 'basis' }
	| { type: 'flowchart'; flowchartId: string | null }
	| { type: 'step'; flowchartId: string; stepId: string }
	| { type: 'row'; rowId: string | null; field?: string };

export type Problem = { check: Check; message: string; target?: ProblemTarget };
export type ChecklistResult = { ok: boolean; problems: Problem[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function runChecklist(content: unknown, flowcharts: Record<string, FlowchartData>): ChecklistResult {
	const problems: Problem[] = [...checkPowerItem(content), ...checkFlow(content, flowcharts)];
	const rows = riskRowsOf(content);
	problems.push(...checkRisks(rows, content, flowcharts), ...checkMeasures(rows));
	return { ok: problems.length === 0, problems };
}

function checkPowerItem(content: unknown): Problem[] {
	const item = powerItemOf(content);
	if (!item) return [{ check: 'power_item', message: '缺少职权目录条目。' }];
	const out: Problem[] = [];
	for (const f of POWER_FIELDS)
		if (!item.fields[f.key]?.trim()) out.push({ check: 'power_item', message: `职权目录：“${f.label}”未填写。`, target: { type: 'field', field: f.key } });
	const complete = item.basis.filter((b) => b.law.trim() && b.article.trim());
	if (complete.length === 0) out.push({ check: 'power_item', message: '职权目录：至少列出一项法律依据及其条款。', target: { type: 'basis' } });
	else if (complete.length < item.basis.length)
		out.push({ check: 'power_item', message: '职权目录：有法律依据缺少名称或条款。', target: { type: 'basis' } });
	return out;
}

function checkFlow(content: unknown, flowcharts: Record<string, FlowchartData>): Problem[] {
	const ids = flowchartIdsOf(content);
	if (ids.length === 0) return [{ check: 'flow', message: '缺少权力运行流程图。', target: { type: 'flowchart', flowchartId: null } }];
	const out: Problem[] = [];
	for (const id of ids) {
		const chart = flowcharts[id] ?? { nodes: {}, edges: {} };
		const steps = Object.entries(chart.nodes);
		const at = (stepId: string) => ({ type: 'step', flowchartId: id, stepId }) as const;
		const starts = steps.filter(([, s]) => s.kind === 'start');
		const ends = steps.filter(([, s]) => s.kind === 'end');
		if (steps.length === 0) {
			out.push({ check: 'flow', message: '流程图没有任何环节。', target: { type: 'flowchart', flowchartId: id } });
			continue;
		}
		if (starts.length !== 1)
			out.push({ check: 'flow', message: starts.length ? '流程图只能有一个开始环节。' : '流程图缺少开始环节。', target: { type: 'flowchart', flowchartId: id } });
		if (ends.length !== 1)
			out.push({ check: 'flow', message: ends.length ? '流程图只能有一个结束环节。' : '流程图缺少结束环节。', target: { type: 'flowchart', flowchartId: id } });
		const reached = new Set<string>();
		const next = new Map<string, string[]>();
		for (const e of Object.values(chart.edges)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
		const queue = starts.map(([sid]) => sid);
		while (queue.length) {
			const sid = queue.pop()!;
			if (reached.has(sid)) continue;
			reached.add(sid);
			queue.push(...(next.get(sid) ?? []));
		}
		for (const [sid, s] of steps) {
			const name = s.label.trim() || '（未命名环节）';
			if (!s.label.trim()) out.push({ check: 'flow', message: '有环节未命名。', target: at(sid) });
			if (starts.length === 1 && !reached.has(sid)) out.push({ check: 'flow', message: `环节“${name}”从开始环节无法到达。`, target: at(sid) });
			if (!s.post.trim()) out.push({ check: 'flow', message: `环节“${name}”未填写责任岗位。`, target: at(sid) });
			if (s.limitDays === null) out.push({ check: 'flow', message: `环节“${name}”未填写办理时限。`, target: at(sid) });
		}
	}
	return out;
}

function isBlank(row: RiskRowData) {
	return RISK_CELLS.every((c) => !row.cells[c.key]?.trim());
}

function rowName(row: RiskRowData, i: number) {
	return row.cells.point?.trim() ? `风险点“${row.cells.point.trim()}”` : `第 ${i + 1} 行风险`;
}

function checkRisks(rows: RiskRowData[], content: unknown, flowcharts: Record<string, FlowchartData>): Problem[] {
	const out: Problem[] = [];
	const real = rows.filter((r) => !isBlank(r));
	if (real.length === 0) out.push({ check: 'risks', message: '尚未排查出任何廉政风险点。', target: { type: 'row', rowId: rows[0]?.id ?? null } });
	const stepsOf = new Map<string, string>(); // step id → flowchart id
	for (const id of flowchartIdsOf(content)) for (const sid of Object.keys(flowcharts[id]?.nodes ?? {})) stepsOf.set(sid, id);
	rows.forEach((r, i) => {
		if (isBlank(r) && real.length === 0) return;
		const at = (field?: string) => ({ type: 'row', rowId: r.id, field }) as const;
		if (!r.cells.point?.trim()) out.push({ check: 'risks', message: `${rowName(r, i)}：“风险点”未填写。`, target: at('point') });
		if (!r.cells.form?.trim()) out.push({ check: 'risks', message: `${rowName(r, i)}：“风险表现形式”未填写。`, target: at('form') });
		if (!r.stepId || !stepsOf.has(r.stepId))
			out.push({ check: 'risks', message: `${rowName(r, i)}：未关联流程图中的环节。`, target: at('step') });
		if (!r.level) out.push({ check: 'risks', message: `${rowName(r, i)}：未评定风险等级。`, target: at('level') });
	});
	const linked = new Set(rows.map((r) => r.stepId));
	for (const id of flowchartIdsOf(content))
		for (const [sid, s] of Object.entries(flowcharts[id]?.nodes ?? {}))
			if (s.risk && !linked.has(sid))
				out.push({ check: 'risks', message: `环节“${s.label || '（未命名）'}”标为风险点，但防控表中没有对应的风险。`, target: { type: 'step', flowchartId: id, stepId: sid } });
	return out;
}

function checkMeasures(rows: RiskRowData[]): Problem[] {
	const out: Problem[] = [];
	const label = (key: string) => RISK_CELLS.find((c) => c.key === key)?.label ?? key;
	rows.forEach((r, i) => {
		if (isBlank(r)) return;
		for (const key of ['measure', 'post', 'leader', 'plan'] as const)
			if (!r.cells[key]?.trim()) out.push({ check: 'measures', message: `${rowName(r, i)}：“${label(key)}”未填写。`, target: { type: 'row', rowId: r.id, field: key } });
		if (!r.deadline || !DATE.test(r.deadline))
			out.push({ check: 'measures', message: `${rowName(r, i)}：制度建设计划缺少完成时限。`, target: { type: 'row', rowId: r.id, field: 'deadline' } });
	});
	return out;
}
