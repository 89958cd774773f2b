import { json } from '@sveltejs/kit';
import { api, requireUser } from '#lib/server/api.ts';
import { setThreadResolved } from '#server/commands/comments.ts';

export const POST = api(async (event) => json(await setThreadResolved(event.locals.services, requireUser(event), event.params.id!, true)));
