/** Colours for carets and avatars: distinct, readable on white, stable per user. */
const PALETTE = ['#c2410c', '#0f766e', '#1d4ed8', '#7e22ce', '#be123c', '#15803d', '#a16207', '#0369a1', '#4338ca', '#b45309', '#0e7490', '#9d174d'];

export function colorFor(userId: string): string {
	let h = 0;
	for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return PALETTE[h % PALETTE.length];
}

export type PresenceUser = { name: string; color: string; id: string };

export function initialOf(name: string): string {
	const trimmed = name.replace(/^.*\s/, '').trim() || name.trim();
	return trimmed.slice(0, 1).toUpperCase();
}
