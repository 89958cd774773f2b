import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, requireAllowed } from '#lib/server/api.ts';
import { badRequest } from '#server/errors.ts';
import { policies } from '#server/policies/index.ts';

/** People to @mention in a comment: matched by username or name, best matches first. */

const Query = z.string().trim().max(40, '搜索词最多 40 个字符。');
const LIMIT = 8;

export const GET = api(async (event) => {
	requireAllowed(event, policies.listPeople);
	const parsed = Query.safeParse(event.url.searchParams.get('q') ?? '');
	if (!parsed.success) throw badRequest(parsed.error.issues[0].message);
	const q = parsed.data.toLowerCase();
	const rows = await event.locals.services.db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'disabled']).execute();
	const rank = (r: (typeof rows)[number]) => {
		const name = r.username.toLowerCase();
		if (!q || name.startsWith(q) || r.display_name.startsWith(q)) return 0;
		if (name.includes(q) || r.display_name.includes(q)) return 1;
		return null;
	};
	const people = rows
		.filter((r) => policies.listedAsPerson({ role: r.role, disabled: !!r.disabled }))
		.map((r) => ({ r, rank: rank(r) }))
		.filter((x): x is { r: (typeof rows)[number]; rank: number } => x.rank !== null)
		.sort((a, b) => a.rank - b.rank || (a.r.username < b.r.username ? -1 : 1))
		.slice(0, LIMIT)
		.map(({ r }) => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role }));
	return json(people);
});
