import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { policies } from '#server/policies/index.ts';
import { manualDependency } from '#lib/review/dependencies.ts';
import { confirmedAction, formOf, runAction, validatedAction } from '#lib/server/forms.ts';
import { ManualUnitInput } from '#server/services/manuals.ts';
import { UnitInput } from '#server/services/units.ts';
import { deleteSection, NewSectionInput, SectionPatchInput } from '#server/services/sections.ts';
import { notFound } from '#server/errors.ts';

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends(manualDependency(params.id));
	const user = locals.user!;
	const canManage = policies.manageManuals(user);
	return {
		canManage,
		// What the review chrome offers this person, decided here from the policies.
		review: { setPhase: policies.setPhase(user), viewProgress: policies.viewProgress(user), viewRecords: policies.viewRecords(user) },
		trash: canManage ? await locals.services.sections.deleted(params.id) : [],
		allUnits: canManage ? await locals.services.units.list() : []
	};
};

/** The manual's manager, on a manual that exists (an unknown id is a 404 page, before anything changes). */
async function manager(event: RequestEvent) {
	if (!event.locals.user || !policies.manageManuals(event.locals.user)) error(403, '只有纪检监察部门和系统管理员可以管理手册结构。');
	await event.locals.services.manuals.get(event.params.id);
}

/** A live section of this manual (not one of another manual reached through this page's address). */
async function sectionHere(event: RequestEvent, id: string) {
	const section = await event.locals.services.sections.get(id);
	if (section.manual_id !== event.params.id) throw notFound('章节不存在。');
	return section;
}

const str = (f: FormData, k: string) => String(f.get(k) ?? '');

export const actions: Actions = {
	addSection: async (event) => {
		await manager(event);
		const f = await formOf(event.request);
		const unitId = str(f, 'unitId');
		return validatedAction(`add:${unitId}`, NewSectionInput, { unitId, title: str(f, 'title') }, (input) =>
			event.locals.services.sections.createFromTemplate(event.params.id, input)
		);
	},
	renameSection: async (event) => {
		await manager(event);
		const f = await formOf(event.request);
		const id = str(f, 'id');
		return validatedAction(`section:${id}`, SectionPatchInput, { title: str(f, 'title') }, async ({ title }) => {
			await sectionHere(event, id);
			await event.locals.services.sections.rename(id, title!);
		});
	},
	moveSection: async (event) => {
		await manager(event);
		const f = await formOf(event.request);
		const id = str(f, 'id');
		return validatedAction(`section:${id}`, SectionPatchInput, { move: str(f, 'dir') }, async ({ move }) => {
			await sectionHere(event, id);
			await event.locals.services.sections.move(id, move!);
		});
	},
	deleteSection: async (event) => {
		await manager(event);
		const f = await formOf(event.request);
		const id = str(f, 'id');
		return confirmedAction(`section:${id}`, f, async () => {
			await sectionHere(event, id);
			await deleteSection(event.locals.services, id);
		});
	},
	restoreSection: async (event) => {
		await manager(event);
		const f = await formOf(event.request);
		const id = str(f, 'id');
		return runAction('trash', async () => {
			const inBin = await event.locals.services.sections.deleted(event.params.id);
			if (!inBin.some((t) => t.id === id)) throw notFound('回收站中没有这个章节。');
			await event.locals.services.sections.restore(id);
		});
	},
	createUnit: async (event) => {
		await manager(event);
		const f = await formOf(event.request);
		return validatedAction('addUnit', UnitInput, { name: str(f, 'name') }, async ({ name }) => {
			const { id } = await event.locals.services.units.create(name);
			await event.locals.services.manuals.addUnit(event.params.id, id);
		});
	},
	addUnit: async (event) => {
		await manager(event);
		const f = await formOf(event.request);
		return validatedAction('addUnit', ManualUnitInput, { unitId: str(f, 'unitId') }, ({ unitId }) =>
			event.locals.services.manuals.addUnit(event.params.id, unitId)
		);
	}
};
