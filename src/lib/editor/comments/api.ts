import type { z } from 'zod';
import { m } from '#lib/paraglide/messages.js';
import { Created, People, Threads, type NewAnchor, type Person, type Thread } from './types.ts';

/** A request that did not go through; `message` is for the user (Chinese, from the server when it said why). */
export class CommentRequestError extends Error {}

async function call<S extends z.ZodType>(url: string, schema: S, init?: { method: string; body?: unknown }): Promise<z.infer<S>> {
	let res: Response;
	try {
		res = await fetch(url, {
			method: init?.method ?? 'GET',
			headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
			body: init?.body === undefined ? undefined : JSON.stringify(init.body)
		});
	} catch {
		throw new CommentRequestError(m.cm_error_network());
	}
	const data: unknown = await res.json().catch(() => null);
	if (!res.ok) {
		const said = (data as { error?: { message?: unknown } } | null)?.error?.message;
		throw new CommentRequestError(typeof said === 'string' && said ? said : m.cm_error_server({ status: res.status }));
	}
	const parsed = schema.safeParse(data);
	if (!parsed.success) throw new CommentRequestError(m.cm_error_answer());
	return parsed.data;
}

/** The comment endpoints of one section (DESIGN.md §3.1) and the people to @mention. */
export class CommentsApi {
	private readonly sectionId: string;
	constructor(sectionId: string) {
		this.sectionId = sectionId;
	}

	list(): Promise<Thread[]> {
		return call(`/api/sections/${encodeURIComponent(this.sectionId)}/comments`, Threads);
	}
	create(anchor: NewAnchor, body: string): Promise<{ id: string }> {
		return call(`/api/sections/${encodeURIComponent(this.sectionId)}/comments`, Created, { method: 'POST', body: { anchor, body } });
	}
	reply(threadId: string, body: string): Promise<{ id: string }> {
		return call(`/api/comments/${encodeURIComponent(threadId)}/replies`, Created, { method: 'POST', body: { body } });
	}
	async setResolved(threadId: string, resolved: boolean): Promise<void> {
		await call(`/api/comments/${encodeURIComponent(threadId)}/${resolved ? 'resolve' : 'reopen'}`, Created.partial(), { method: 'POST' });
	}
	people(q: string): Promise<Person[]> {
		return call(`/api/people?q=${encodeURIComponent(q)}`, People);
	}
}
