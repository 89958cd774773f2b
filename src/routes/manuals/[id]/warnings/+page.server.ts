import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { canInUnit, policies } from '#server/policies/index.ts';
import { closeWarning, CloseInput, disposeWarning, DisposeInput, listWarnings, raiseWarning, RaiseInput, respondWarning, RespondInput, SOURCES } from '#server/improvement/warnings.ts';
import { formOf, validatedAction } from '#lib/server/forms.ts';
import { riskRowsOf } from '#collab/schema/extract.ts';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = locals.user!;
	if (!policies.viewImprovement(user)) error(403, '您暂无权查看风险预警。');
	const s = locals.services;
	const warnings = await listWarnings(s, params.id);
	const canManage = policies.manageWarnings(user);
	// The raise form lists every item and its risk points.
	const targets = [];
	if (canManage) {
		const outline = await s.manuals.outline(params.id);
		for (const u of outline.units)
			for (const sec of u.sections) {
				const { content } = await s.sections.content(sec);
				targets.push({ id: sec.id, title: sec.title, unit: u.name, risks: riskRowsOf(content).filter((r) => r.id && r.cells.point).map((r) => ({ id: r.id!, point: r.cells.point })) });
			}
	}
	return {
		warnings: warnings.map((w) => ({ ...w, canRespond: canInUnit(user, 'respondWarning', w.unitId) })),
		canManage,
		targets,
		sources: SOURCES,
		// "Raise a warning" from a supervision card comes prefilled.
		prefill: { sectionId: url.searchParams.get('section') ?? '', caseId: url.searchParams.get('case') ?? '', rowId: url.searchParams.get('row') ?? '', subject: url.searchParams.get('subject') ?? '', description: url.searchParams.get('description') ?? '', source: url.searchParams.get('source') ?? '' }
	};
};

const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

export const actions: Actions = {
	raise: async ({ locals, params, request }) => {
		const f = await formOf(request);
		const raw = { sectionId: str(f, 'sectionId'), rowId: str(f, 'rowId') || null, caseId: str(f, 'caseId') || null, source: str(f, 'source'), subject: str(f, 'subject'), description: str(f, 'description'), dueAt: str(f, 'dueAt') || undefined };
		return validatedAction('raise', RaiseInput, raw, (input) => raiseWarning(locals.services, locals.user!, params.id, input));
	},
	dispose: async ({ locals, request }) => {
		const f = await formOf(request);
		const id = str(f, 'id');
		return validatedAction(`w:${id}`, DisposeInput, { stage: str(f, 'stage'), dueAt: str(f, 'dueAt'), note: str(f, 'note') }, (input) => disposeWarning(locals.services, locals.user!, id, input));
	},
	respond: async ({ locals, request }) => {
		const f = await formOf(request);
		const id = str(f, 'id');
		return validatedAction(`w:${id}`, RespondInput, { text: str(f, 'text') }, (input) => respondWarning(locals.services, locals.user!, id, input));
	},
	close: async ({ locals, request }) => {
		const f = await formOf(request);
		const id = str(f, 'id');
		return validatedAction(`w:${id}`, CloseInput, { note: str(f, 'note') }, (input) => closeWarning(locals.services, locals.user!, id, input));
	}
};
