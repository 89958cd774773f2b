import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { policies } from '#server/policies/index.ts';
import { manualDependency } from '#lib/review/dependencies.ts';
import { runAction, validatedAction } from '#lib/server/forms.ts';
import { ManualUnitInput } from '#server/services/manuals.ts';
import { UnitInput } from '#server/services/units.ts';
import { deleteSection, NewSectionInput, SectionPatchInput } from '#server/services/sections.ts';

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

function manager(event: RequestEvent) {
	if (!event.locals.user || !policies.manageManuals(event.locals.user)) error(403, '只有纪检监察部门和系统管理员可以管理手册结构。');
}

const str = (f: FormData, k: string) => String(f.get(k) ?? '');

export const actions: Actions = {
	addSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const unitId = str(f, 'unitId');
		return validatedAction(`add:${unitId}`, NewSectionInput, { unitId, title: str(f, 'title') }, (input) =>
			event.locals.services.sections.createFromTemplate(event.params.id, input)
		);
	},
	renameSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		return validatedAction(`section:${id}`, SectionPatchInput, { title: str(f, 'title') }, ({ title }) =>
			event.locals.services.sections.rename(id, title!)
		);
	},
	moveSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		return validatedAction(`section:${id}`, SectionPatchInput, { move: str(f, 'dir') }, ({ move }) =>
			event.locals.services.sections.move(id, move!)
		);
	},
	deleteSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		return runAction(`section:${id}`, () => deleteSection(event.locals.services, id));
	},
	restoreSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		return runAction('trash', () => event.locals.services.sections.restore(id));
	},
	createUnit: async (event) => {
		manager(event);
		const f = await event.request.formData();
		return validatedAction('addUnit', UnitInput, { name: str(f, 'name') }, async ({ name }) => {
			const { id } = await event.locals.services.units.create(name);
			await event.locals.services.manuals.addUnit(event.params.id, id);
		});
	},
	addUnit: async (event) => {
		manager(event);
		const f = await event.request.formData();
		return validatedAction('addUnit', ManualUnitInput, { unitId: str(f, 'unitId') }, ({ unitId }) =>
			event.locals.services.manuals.addUnit(event.params.id, unitId)
		);
	}
};
