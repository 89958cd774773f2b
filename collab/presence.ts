import { z } from 'zod';

/**
 * What an awareness state (presence) may carry, shared by the server, which rewrites every
 * state it relays, and the browser, which still checks every peer's state before using it.
 * Imported by both sides; keep it free of server-only imports.
 */

/** Colours for carets and avatars: distinct, readable on white, stable per user. */
const PALETTE = ['#c2410c', '#0f766e', '#1d4ed8', '#7e22ce', '#be123c', '#15803d', '#a16207', '#0369a1', '#4338ca', '#b45309', '#0e7490', '#9d174d'];

export function colorFor(userId: string): string {
	let h = 0;
	for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return PALETTE[h % PALETTE.length];
}

/** Who a state belongs to; set by the server from the session, never taken from the client. */
export const PresenceUser = z.object({
	id: z.string().min(1).max(64),
	name: z.string().min(1).max(100),
	color: z.string().regex(/^#[0-9a-fA-F]{6}$/)
});
export type PresenceUser = z.infer<typeof PresenceUser>;

const YId = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() });
/** A Yjs relative position as `Y.relativePositionToJSON` writes it. */
const RelativePosition = z.object({
	type: YId.nullish(),
	tname: z.string().max(64).nullish(),
	item: YId.nullish(),
	assoc: z.number().int().nullish()
});

/** CollaborationCaret's selection: anchor and head as relative positions, or null when unfocused. */
export const CaretCursor = z.object({ anchor: RelativePosition, head: RelativePosition }).nullable();

/** Which flowchart step (and which of its fields) someone is editing, or null. */
export const FlowchartPresence = z
	.object({ chartId: z.string().min(1).max(100), stepId: z.string().min(1).max(100).nullable(), field: z.string().min(1).max(40).optional() })
	.nullable();

export type PeerState = { user: PresenceUser; cursor?: z.infer<typeof CaretCursor>; flowchart?: z.infer<typeof FlowchartPresence> };

/**
 * Largest awareness state accepted, as JSON. An honest state (identity, two relative positions,
 * a flowchart step) is a few hundred characters.
 */
export const MAX_PRESENCE_CHARS = 4096;

/**
 * The fields of a claimed awareness state that are kept, checked one by one: a field that does
 * not fit is left out, anything not listed is dropped. `user` is not read from the claim.
 */
export function presenceFields(claimed: unknown): Omit<PeerState, 'user'> {
	const raw = (typeof claimed === 'object' && claimed !== null ? claimed : {}) as Record<string, unknown>;
	const out: Omit<PeerState, 'user'> = {};
	const cursor = CaretCursor.safeParse(raw.cursor);
	if ('cursor' in raw && cursor.success) out.cursor = cursor.data;
	const flowchart = FlowchartPresence.safeParse(raw.flowchart);
	if ('flowchart' in raw && flowchart.success) out.flowchart = flowchart.data;
	return out;
}

/** A peer's state as the browser may use it, or null when its identity does not fit. */
export function peerState(claimed: unknown): PeerState | null {
	const user = PresenceUser.safeParse((claimed as { user?: unknown } | null)?.user);
	if (!user.success) return null;
	return { user: user.data, ...presenceFields(claimed) };
}
