import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { replyToComment, ReplyInput } from '#server/commands/comments.ts';

export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, ReplyInput);
	return json(await replyToComment(event.locals.services, user, event.params.id!, input), { status: 201 });
});
