import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	// An unknown id throws the service's 404, which handleError turns into the Chinese 404 page.
	const section = await locals.services.sections.get(params.sectionId);
	if (section.manual_id !== params.id) error(404, '章节不存在。');
	if (!policies.readSection(user, section)) error(403, '该章节尚未发布，您暂无权查看。');
	const manual = await locals.services.sections.manualOf(section);
	return {
		section: { id: section.id, title: section.title, doc: section.doc, state: section.state, unitId: section.unit_id },
		canEdit: policies.editSection(user, section, manual),
		canComment: policies.commentSection(user, section, manual)
	};
};
