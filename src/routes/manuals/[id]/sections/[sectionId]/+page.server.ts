import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { presentGrade, presentSectionAccess } from '#server/presenters/index.ts';
import { gradesOf } from '#server/commands/grade-risk.ts';
import { sectionHistory } from '#server/workflow/history.ts';
import { manualDependency, sectionDependency } from '#lib/review/dependencies.ts';

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	const user = locals.user!;
	depends(sectionDependency(params.sectionId), manualDependency(params.id));
	// An unknown id throws the service's 404, which handleError turns into the Chinese 404 page.
	const section = await locals.services.sections.get(params.sectionId);
	if (section.manual_id !== params.id) error(404, '章节不存在。');
	if (!policies.readSection(user, section)) error(403, '该章节尚未发布，您暂无权查看。');
	const manual = await locals.services.sections.manualOf(section);
	const access = presentSectionAccess(user, section, manual);
	// A returned section shows the coordinator's note beside the text until it is submitted again.
	const lastReturn =
		section.state === 'returned'
			? ((await sectionHistory(locals.services.db, section.id)).filter((e) => e.action === 'return').at(-1) ?? null)
			: null;
	return {
		section: { id: section.id, title: section.title, doc: section.doc, state: section.state, unitId: section.unit_id, editionId: section.edition_id },
		phase: manual.phase,
		access,
		canEdit: access.can.write,
		canComment: access.can.comment,
		grades: (await gradesOf(locals.services, section.id)).map(presentGrade),
		lastReturn: lastReturn ? { note: lastReturn.note, by: lastReturn.displayName, at: Number(lastReturn.at) } : null
	};
};
