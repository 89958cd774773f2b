import { json } from '@sveltejs/kit';
import { api, readBody } from '#lib/server/api.ts';
import { readableSection } from '#lib/server/sections.ts';
import { listComments } from '#server/comments/list.ts';
import { addComment, NewCommentInput } from '#server/commands/comments.ts';

export const GET = api(async (event) => {
	const { section } = await readableSection(event, event.params.id!);
	return json(await listComments(event.locals.services, section));
});

/** A new thread on a text range, a risk row or a flowchart step. */
export const POST = api(async (event) => {
	const { user } = await readableSection(event, event.params.id!);
	const input = await readBody(event.request, NewCommentInput);
	return json(await addComment(event.locals.services, user, event.params.id!, input), { status: 201 });
});
