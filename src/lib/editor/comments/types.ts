import { z } from 'zod';

/** What GET /api/sections/:id/comments answers, checked where it enters the browser. */

export const Person = z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string() });
export type Person = z.infer<typeof Person>;

export const ThreadAnchor = z.discriminatedUnion('type', [
	z.object({ type: z.literal('text'), from: z.number(), to: z.number(), start: z.string(), end: z.string() }),
	z.object({ type: z.literal('row'), rowId: z.string() }),
	z.object({ type: z.literal('step'), flowchartId: z.string(), stepId: z.string() }),
	z.object({ type: z.literal('section') })
]);
export type ThreadAnchor = z.infer<typeof ThreadAnchor>;

export const Reply = z.object({ id: z.string(), body: z.string(), author: Person, createdAt: z.number() });
export type Reply = z.infer<typeof Reply>;

export const Thread = z.object({
	id: z.string(),
	anchor: ThreadAnchor,
	quote: z.string(),
	detached: z.boolean(),
	body: z.string(),
	author: Person,
	createdAt: z.number(),
	resolved: z.boolean(),
	replies: z.array(Reply)
});
export type Thread = z.infer<typeof Thread>;

export const Threads = z.array(Thread);
export const People = z.array(Person);
export const Created = z.object({ id: z.string() });

/** What a new thread points at, as POST /api/sections/:id/comments takes it. */
export type NewAnchor =
	| { type: 'text'; from: number; to: number; start: string; end: string }
	| { type: 'row'; rowId: string }
	| { type: 'step'; flowchartId: string; stepId: string };
