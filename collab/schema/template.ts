import { newId, type FlowchartData, type StepKind } from './flowchart.ts';
import { RISK_CELLS, newRowId, type RiskCategory, type RiskLevel } from './risk-table.ts';
import type { SectionContent } from './index.ts';

/**
 * A section described in plain terms (card fields, steps, risks) and turned into editor
 * content. Used for the new-section template and the demo manual.
 */
export type SectionSpec = {
	title: string;
	code: string;
	content: string;
	subject: string;
	basis: [law: string, article: string][];
	limit: string;
	steps: { label: string; post: string; limitDays: number | null; kind?: StepKind }[];
	/** Extra edges by step label: [from, to, label]. Steps are otherwise chained in order. */
	branches: [string, string, string][];
	risks: {
		step: string | null;
		point: string;
		form: string;
		category: RiskCategory;
		level: RiskLevel | null;
		measure: string;
		post: string;
		leader: string;
		plan: string;
		deadline: string | null;
	}[];
	notes?: string;
};

const text = (t: string) => (t ? [{ type: 'text', text: t }] : undefined);
const heading = (level: number, t: string) => ({ type: 'heading', attrs: { level }, content: text(t) });
const paragraph = (t: string) => ({ type: 'paragraph', content: text(t) });
const field = (key: string, value: string) => ({ type: 'powerItemField', attrs: { field: key }, content: text(value) });

/** Steps of the main line sit in one column; a step reached only as a branch goes to the side. */
function layoutSteps(spec: SectionSpec): FlowchartData {
	const ids = spec.steps.map(() => newId('s'));
	const idOf = new Map(spec.steps.map((s, i) => [s.label, ids[i]]));
	const branchOnly = new Set(
		spec.branches.map(([from, to]) => (spec.steps.findIndex((s) => s.label === to) > spec.steps.findIndex((s) => s.label === from) ? to : null)).filter((x): x is string => !!x)
	);
	const main = spec.steps.filter((s) => !branchOnly.has(s.label));
	const nodes: FlowchartData['nodes'] = {};
	const edges: FlowchartData['edges'] = {};
	const riskSteps = new Set(spec.risks.map((r) => r.step));
	let row = 0;
	spec.steps.forEach((s, i) => {
		const side = branchOnly.has(s.label);
		nodes[ids[i]] = {
			label: s.label,
			x: side ? 280 : 0,
			y: (side ? row - 1 : row) * 110,
			kind: s.kind ?? 'step',
			post: s.post,
			limitDays: s.limitDays,
			risk: riskSteps.has(s.label),
			control: riskSteps.has(s.label),
			duty: ''
		};
		if (!side) row++;
	});
	for (let i = 0; i + 1 < main.length; i++) {
		edges[newId('e')] = { source: idOf.get(main[i].label)!, target: idOf.get(main[i + 1].label)!, label: '' };
	}
	for (const [from, to, label] of spec.branches) {
		if (idOf.has(from) && idOf.has(to)) edges[newId('e')] = { source: idOf.get(from)!, target: idOf.get(to)!, label };
	}
	return { nodes, edges };
}

export function buildSection(spec: SectionSpec): SectionContent {
	const flowId = newId('f');
	const chart = layoutSteps(spec);
	const stepIdByLabel = new Map(Object.entries(chart.nodes).map(([id, s]) => [s.label, id]));
	const rows = (spec.risks.length ? spec.risks : [null]).map((r) => ({
		type: 'riskRow',
		attrs: {
			id: newRowId(),
			category: r?.category ?? '权力行使',
			level: r?.level ?? null,
			deadline: r?.deadline ?? null,
			stepId: (r?.step && stepIdByLabel.get(r.step)) || null
		},
		content: RISK_CELLS.map(({ key }) => ({
			type: 'riskCell',
			attrs: { field: key },
			content: text(r ? (r[key] ?? '') : '')
		}))
	}));
	const basis = (spec.basis.length ? spec.basis : [['', '']]).map(([law, article]) => ({
		type: 'legalBasisItem',
		content: [
			{ type: 'basisLaw', content: text(law) },
			{ type: 'basisArticle', content: text(article) }
		]
	}));
	const content = {
		type: 'doc',
		content: [
			heading(2, '一、职权目录'),
			{
				type: 'powerItem',
				attrs: { id: newId('p') },
				content: [
					field('name', spec.title),
					field('code', spec.code),
					field('content', spec.content),
					field('subject', spec.subject),
					{ type: 'legalBasis', content: basis },
					field('limit', spec.limit)
				]
			},
			heading(2, '二、权力运行流程图'),
			{ type: 'flowchart', attrs: { id: flowId } },
			heading(2, '三、廉政风险防控表'),
			{ type: 'riskTable', attrs: { id: newId('t') }, content: rows },
			heading(2, '四、说明'),
			paragraph(spec.notes ?? '按照“谁的风险谁防，谁是领导谁控”的原则，风险岗位人员负责排查和防范，主管领导负责风险管控。')
		]
	};
	return { content, flowcharts: { [flowId]: chart } };
}

/** What a new section starts with: the card (name filled in), a flowchart skeleton, one empty risk row. */
export function newSectionTemplate(title: string): SectionContent {
	return buildSection({
		title,
		code: '',
		content: '',
		subject: '',
		basis: [],
		limit: '',
		steps: [
			{ label: '受理', post: '', limitDays: null, kind: 'start' },
			{ label: '审查', post: '', limitDays: null },
			{ label: '决定', post: '', limitDays: null, kind: 'decision' },
			{ label: '送达', post: '', limitDays: null, kind: 'end' }
		],
		branches: [],
		risks: [],
		notes: ''
	});
}
