import { json } from '@sveltejs/kit';
import { api, requireUser } from '#lib/server/api.ts';
import { openRevision } from '#server/commands/open-revision.ts';

/** 动态管理: a new review cycle from the latest edition (coordinator). */
export const POST = api(async (event) => json(await openRevision(event.locals.services, requireUser(event), event.params.id!), { status: 201 }));
