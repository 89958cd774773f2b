import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { canInUnit, policies } from '#server/policies/index.ts';
import { NewCaseInput, openCase, recordStep, StepInput, supervision, supervisedContent } from '#server/improvement/cases.ts';
import { formOf, validatedAction } from '#lib/server/forms.ts';
import { flowchartIdsOf, riskRowsOf } from '#collab/schema/extract.ts';
import { renderFlowchartSvg, riskLevelsByStep } from '#collab/schema/flowchart-svg.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	if (!policies.viewImprovement(user)) error(403, '您暂无权查看电子监察。');
	const s = locals.services;
	const stats = await supervision(s, params.id);
	const outline = await s.manuals.outline(params.id);
	const sections = outline.units.flatMap((u) => u.sections.map((sec) => ({ id: sec.id, title: sec.title, unitId: u.id, unit: u.name })));
	// The map: each item with open cases, its flowchart, and the cards of the cases at each step.
	const maps = [];
	for (const item of stats.items.filter((i) => i.open > 0)) {
		const section = await s.sections.get(item.sectionId);
		const { content, flowcharts } = await supervisedContent(s, section);
		const chartId = flowchartIdsOf(content).find((id) => flowcharts[id]);
		if (!chartId) continue;
		const steps: Record<string, { open: number; yellow: number; red: number }> = {};
		for (const c of stats.cases.filter((x) => x.sectionId === item.sectionId && x.current)) {
			const st = (steps[c.current!.stepId] ??= { open: 0, yellow: 0, red: 0 });
			st.open++;
			if (c.card === 'yellow') st.yellow++;
			if (c.card === 'red') st.red++;
		}
		const svg = colorSteps(renderFlowchartSvg(flowcharts[chartId], riskLevelsByStep(riskRowsOf(content))), steps);
		maps.push({ sectionId: item.sectionId, title: item.title, unit: item.unitName, svg, steps });
	}
	return {
		stats,
		maps,
		sections: sections.filter((x) => canInUnit(user, 'openCase', x.unitId)),
		canRecord: Object.fromEntries(stats.cases.map((c) => [c.id, canInUnit(user, 'recordCaseStep', c.unitId)])),
		canWarn: policies.manageWarnings(user)
	};
};

const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

export const actions: Actions = {
	open: async ({ locals, request }) => {
		const f = await formOf(request);
		const sectionId = str(f, 'sectionId');
		return validatedAction('open', NewCaseInput, { applicant: str(f, 'applicant'), receivedAt: str(f, 'receivedAt') }, (input) => openCase(locals.services, locals.user!, sectionId, input));
	},
	step: async ({ locals, request }) => {
		const f = await formOf(request);
		const id = str(f, 'caseId');
		const raw = { stepId: str(f, 'stepId'), doneAt: str(f, 'doneAt'), nextStepId: str(f, 'nextStepId') || undefined };
		return validatedAction(`case:${id}`, StepInput, raw, (input) => recordStep(locals.services, locals.user!, id, input));
	}
};

/** Fills each step box with the colour of the worst card among the cases waiting there. */
function colorSteps(svg: string, steps: Record<string, { yellow: number; red: number }>): string {
	let out = svg;
	for (const [id, c] of Object.entries(steps)) {
		const fill = c.red ? '#fecaca' : c.yellow ? '#fef08a' : '#dbeafe';
		const at = out.indexOf(`data-step-id="${id}"`);
		if (at < 0) continue;
		const shape = out.indexOf('fill="#ffffff"', at);
		if (shape > 0) out = `${out.slice(0, shape)}fill="${fill}"${out.slice(shape + 'fill="#ffffff"'.length)}`;
	}
	return out;
}
