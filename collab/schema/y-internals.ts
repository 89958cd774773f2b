import * as Y from 'yjs';

/**
 * What a Yjs type really holds, read from its items. The public accessors hide things a crafted
 * update can store — list content in a map, keyed entries in a list or text, embeds and formats,
 * keys such as `__proto__` that `toJSON`/`getAttributes` silently drop — and some of them recurse
 * without limit. The checks, the reader and the repair look here instead.
 */

// Yjs types are invariant in their event type; any shared type will do here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyType = Y.AbstractType<any>;

/** Items of the list part, deleted ones left out. */
export function liveItems(type: AnyType): Y.Item[] {
	const out: Y.Item[] = [];
	for (let item = type._start; item !== null; item = item.right) if (!item.deleted) out.push(item);
	return out;
}

/** Keyed entries (map values, element attributes) that are not deleted, with their values. */
export function liveEntries(type: AnyType): [string, unknown][] {
	const out: [string, unknown][] = [];
	for (const [key, item] of type._map) {
		if (item.deleted) continue;
		const content = item.content.getContent();
		out.push([key, content[content.length - 1]]);
	}
	return out;
}

export function hasLiveList(type: AnyType): boolean {
	for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
	return false;
}

export function hasLiveEntries(type: AnyType): boolean {
	for (const item of type._map.values()) if (!item.deleted) return true;
	return false;
}

/** Whether `type` is one of `types` (shared types of different kinds compared by identity). */
export function isOneOf(type: unknown, ...types: unknown[]): boolean {
	return types.includes(type);
}

/** A plain Y.Map (an XmlHook is a Y.Map too, but not one the app writes). */
export function isPlainMap(value: unknown): value is Y.Map<unknown> {
	return value instanceof Y.Map && !(value instanceof Y.XmlHook);
}

/** A Y.Text holding only characters: no formats, embeds or keyed entries. */
export function isPlainText(value: unknown): value is Y.Text {
	if (!(value instanceof Y.Text) || value instanceof Y.XmlText) return false;
	for (const item of liveItems(value)) if (!(item.content instanceof Y.ContentString)) return false;
	return !hasLiveEntries(value);
}

/**
 * The fields of a flat Y.Map as plain values (a plain Y.Text reads as its string), or null when
 * any field holds something else: nothing nested is ever walked.
 */
export function flatFields(map: Y.Map<unknown>): Record<string, unknown> | null {
	if (hasLiveList(map)) return null;
	const out: Record<string, unknown> = Object.create(null);
	for (const [key, value] of liveEntries(map)) {
		if (isPlainText(value)) out[key] = value.toString();
		else if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) out[key] = value;
		else return null;
	}
	return out;
}

/** Name of the content kind of an item, for messages. */
export function contentKind(item: Y.Item): string {
	const c = item.content;
	if (c instanceof Y.ContentType) return c.type.constructor.name;
	return c.constructor.name.replace(/^Content/, '').toLowerCase();
}

/**
 * Where a type sits: its root type, and the keys leading from the root down to it (null for a
 * step through list content). 'deleted' when it or an ancestor is deleted, 'deep' when it is more
 * than `maxLevels` below its root (the walk stops there).
 */
export function rootOf(type: AnyType, maxLevels: number): { root: AnyType; path: (string | null)[] } | 'deleted' | 'deep' {
	const path: (string | null)[] = [];
	let t: AnyType = type;
	for (let levels = 0; levels <= maxLevels; levels++) {
		const item = t._item;
		if (item === null) return { root: t, path: path.reverse() };
		if (item.deleted) return 'deleted';
		path.push(item.parentSub);
		t = item.parent as AnyType;
	}
	return 'deep';
}

/** How many nested levels of shared types may be deleted in one transaction (see deleteSafely). */
const LEVELS_PER_TRANSACTION = 100;

/**
 * Deletes items and everything inside them without deep recursion. Yjs deletes and garbage-collects
 * nested types recursively, so deleting (or receiving the deletion of) a few thousand nested levels
 * overflows the stack. Here the nested types are deleted innermost first, at most
 * LEVELS_PER_TRANSACTION levels per transaction, so no transaction — here or at any peer that
 * applies its update — recurses deeper than that.
 */
export function deleteSafely(doc: Y.Doc, items: Y.Item[], origin: unknown) {
	const order: Y.Item[] = [];
	const stack = items.filter((i) => !i.deleted);
	const seen = new Set<Y.Item>();
	while (stack.length) {
		const item = stack.pop()!;
		if (seen.has(item)) continue;
		seen.add(item);
		order.push(item);
		if (item.content instanceof Y.ContentType) {
			const t = item.content.type as AnyType;
			for (let c = t._start; c !== null; c = c.right) if (!c.deleted && c.content instanceof Y.ContentType) stack.push(c);
			for (const c of t._map.values()) if (!c.deleted && c.content instanceof Y.ContentType) stack.push(c);
		}
	}
	// Height: levels of shared types below an item. Children come after their parent in `order`.
	const height = new Map<Y.Item, number>();
	for (let i = order.length - 1; i >= 0; i--) {
		const item = order[i];
		let h = 0;
		if (item.content instanceof Y.ContentType) {
			const t = item.content.type as AnyType;
			for (let c = t._start; c !== null; c = c.right) h = Math.max(h, (height.get(c) ?? -1) + 1);
			for (const c of t._map.values()) h = Math.max(h, (height.get(c) ?? -1) + 1);
		}
		height.set(item, h);
	}
	const byHeight = order.sort((a, b) => height.get(a)! - height.get(b)!);
	for (let start = 0; start < byHeight.length; ) {
		const band = Math.floor(height.get(byHeight[start])! / LEVELS_PER_TRANSACTION);
		let end = start;
		while (end < byHeight.length && Math.floor(height.get(byHeight[end])! / LEVELS_PER_TRANSACTION) === band) end++;
		const slice = byHeight.slice(start, end);
		doc.transact((tr) => {
			for (const item of slice) if (!item.deleted) item.delete(tr);
		}, origin);
		start = end;
	}
}
