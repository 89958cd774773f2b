import { error, fail } from '@sveltejs/kit';
import type { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { policies } from '#server/policies/index.ts';
import { isAppError } from '#server/errors.ts';
import { ManualUnitInput } from '#server/services/manuals.ts';
import { UnitInput } from '#server/services/units.ts';
import { NewSectionInput, SectionPatchInput } from '#server/services/sections.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const canManage = policies.manageManuals(locals.user!);
	return {
		canManage,
		trash: canManage ? await locals.services.sections.deleted(params.id) : [],
		allUnits: canManage ? await locals.services.units.list() : []
	};
};

function manager(event: RequestEvent) {
	if (!event.locals.user || !policies.manageManuals(event.locals.user)) error(403, '只有纪检监察部门和系统管理员可以管理手册结构。');
}

/** Runs one structural change; validation and domain errors come back to the page in Chinese. */
async function attempt<S extends z.ZodType>(form: string, schema: S, raw: unknown, run: (input: z.infer<S>) => Promise<unknown>) {
	const parsed = schema.safeParse(raw);
	if (!parsed.success) return fail(400, { form, error: parsed.error.issues[0]?.message ?? '输入无效。' });
	try {
		await run(parsed.data);
		return { form, ok: true };
	} catch (err) {
		if (isAppError(err)) return fail(err.status, { form, error: err.message });
		throw err;
	}
}

const str = (f: FormData, k: string) => String(f.get(k) ?? '');

export const actions: Actions = {
	addSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const unitId = str(f, 'unitId');
		return attempt(`add:${unitId}`, NewSectionInput, { unitId, title: str(f, 'title') }, (input) =>
			event.locals.services.sections.createFromTemplate(event.params.id, input)
		);
	},
	renameSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		return attempt(`section:${id}`, SectionPatchInput, { title: str(f, 'title') }, ({ title }) =>
			event.locals.services.sections.rename(id, title!)
		);
	},
	moveSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		return attempt(`section:${id}`, SectionPatchInput, { move: str(f, 'dir') }, ({ move }) =>
			event.locals.services.sections.move(id, move!)
		);
	},
	deleteSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		try {
			const s = await event.locals.services.sections.softDelete(id);
			event.locals.services.collab.connections.reauthenticateDoc(s.doc);
			return { form: `section:${id}`, ok: true };
		} catch (err) {
			if (isAppError(err)) return fail(err.status, { form: `section:${id}`, error: err.message });
			throw err;
		}
	},
	restoreSection: async (event) => {
		manager(event);
		const f = await event.request.formData();
		const id = str(f, 'id');
		try {
			await event.locals.services.sections.restore(id);
			return { form: 'trash', ok: true };
		} catch (err) {
			if (isAppError(err)) return fail(err.status, { form: 'trash', error: err.message });
			throw err;
		}
	},
	createUnit: async (event) => {
		manager(event);
		const f = await event.request.formData();
		return attempt('addUnit', UnitInput, { name: str(f, 'name') }, async ({ name }) => {
			const { id } = await event.locals.services.units.create(name);
			await event.locals.services.manuals.addUnit(event.params.id, id);
		});
	},
	addUnit: async (event) => {
		manager(event);
		const f = await event.request.formData();
		return attempt('addUnit', ManualUnitInput, { unitId: str(f, 'unitId') }, ({ unitId }) =>
			event.locals.services.manuals.addUnit(event.params.id, unitId)
		);
	}
};
