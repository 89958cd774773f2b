import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { forbidden } from '#server/errors.ts';
import { deleteSection, SectionPatchInput } from '#server/services/sections.ts';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const { sections } = event.locals.services;
	const section = await sections.get(event.params.id!);
	if (!policies.readSection(user, section)) throw forbidden('该章节尚未发布，您暂无权查看。');
	return json({
		id: section.id,
		title: section.title,
		doc: section.doc,
		state: section.state,
		...(await sections.content(section))
	});
});

/** Rename (`title`) or reorder within the unit (`move`: up/down). */
export const PATCH = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	const patch = await readBody(event.request, SectionPatchInput);
	const { sections } = event.locals.services;
	if (patch.title) await sections.rename(event.params.id!, patch.title);
	if (patch.move) await sections.move(event.params.id!, patch.move);
	const s = await sections.get(event.params.id!);
	return json({ id: s.id, title: s.title, doc: s.doc, state: s.state });
});

/** Moves the section to the recycle bin and closes its live connections. */
export const DELETE = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	await deleteSection(event.locals.services, event.params.id!);
	return new Response(null, { status: 204 });
});
