import type { RequestEvent } from '@sveltejs/kit';
import { requireUser } from './api.ts';
import { forbidden } from '#server/errors.ts';
import { policies } from '#server/policies/index.ts';
import { refusalMessage } from '#server/policies/refuse.ts';

/** The section of a route, refused with 404 when it does not exist and 403 when the user may not read it. */
export async function readableSection(event: RequestEvent, id: string) {
	const user = requireUser(event);
	const { sections } = event.locals.services;
	const section = await sections.get(id);
	const manual = await sections.manualOf(section);
	if (!policies.readSection(user, section)) throw forbidden(refusalMessage('read', 'role', section.state, manual.phase));
	return { user, section, manual };
}
