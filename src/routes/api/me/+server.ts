import { json } from '@sveltejs/kit';
import { api, requireUser } from '#lib/server/api.ts';

export const GET = api(async (event) => json(requireUser(event)));
