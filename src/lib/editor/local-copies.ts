import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * The browser's own copies of section documents (IndexedDB, through y-indexeddb): they keep
 * edits made offline until the server has them. They belong to one user: the database name
 * carries the user id, so on a shared office PC the next person's editor never opens them,
 * and signing out deletes them. A copy that holds edits the server has not confirmed is
 * marked `pending`, so signing out can warn before deleting it.
 */

const PREFIX = 'fangkong:';
/** Copies of builds before copies had an owner: named after the document alone. */
const LEGACY = /^section:/;
const SIGNED_IN_KEY = 'fangkong:signed-in';

export const copyName = (userId: string, doc: string) => `${PREFIX}${userId}:${doc}`;
const ownedBy = (userId: string) => (name: string) => name.startsWith(`${PREFIX}${userId}:`);

/** Copies open in this page, closed before their databases are deleted. */
const open = new Set<IndexeddbPersistence>();

export type LocalCopy = {
	readonly persistence: IndexeddbPersistence;
	/** This copy holds an edit the server has not confirmed yet. */
	markPending(): void;
	/** The server holds everything this copy holds. */
	markSaved(): void;
	destroy(): Promise<void>;
};

export function openLocalCopy(userId: string, doc: string, ydoc: Y.Doc, title: string): LocalCopy {
	const persistence = new IndexeddbPersistence(copyName(userId, doc), ydoc);
	open.add(persistence);
	void persistence.set('title', title);
	// Another tab deleting this copy (its user signed out there) must not wait for this tab.
	void persistence.whenSynced.then(() => {
		if (persistence.db) persistence.db.onversionchange = () => void destroy();
	});
	let pending: boolean | null = null;
	const mark = (value: boolean) => {
		if (pending === value) return;
		pending = value;
		void persistence.set('pending', value ? 1 : 0).catch(() => {});
	};
	const destroy = async () => {
		open.delete(persistence);
		await persistence.destroy();
	};
	return { persistence, markPending: () => mark(true), markSaved: () => mark(false), destroy };
}

async function databaseNames(): Promise<string[]> {
	if (!('databases' in indexedDB)) return [];
	return (await indexedDB.databases()).map((d) => d.name ?? '').filter(Boolean);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

/** Title of the copy if it holds unconfirmed edits, else null. Never creates a database. */
async function pendingTitle(name: string): Promise<string | null> {
	const req = indexedDB.open(name);
	req.onupgradeneeded = () => req.transaction?.abort();
	const db = await request(req).catch(() => null);
	if (!db) return null;
	try {
		if (!db.objectStoreNames.contains('custom')) return null;
		const store = db.transaction('custom', 'readonly').objectStore('custom');
		const [pending, title] = await Promise.all([request(store.get('pending')), request(store.get('title'))]);
		return pending === 1 ? String(title ?? name) : null;
	} finally {
		db.close();
	}
}

/** Titles of the user's sections whose local copy holds edits the server has not confirmed. */
export async function pendingCopies(userId: string): Promise<string[]> {
	const titles = await Promise.all((await databaseNames()).filter(ownedBy(userId)).map(pendingTitle));
	return titles.filter((t): t is string => t !== null);
}

function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve) => {
		const req = indexedDB.deleteDatabase(name);
		req.onsuccess = () => resolve();
		// A tab of an older build may hold it open; the deletion then completes when it closes.
		req.onerror = () => resolve();
		req.onblocked = () => resolve();
	});
}

/**
 * Deletes the user's copies (and ownerless ones of older builds). With `keepPending`, copies
 * holding unconfirmed edits stay (their user can sign in again and have them saved).
 */
export async function clearLocalCopies(userId: string, opts: { keepPending?: boolean } = {}): Promise<void> {
	for (const p of [...open]) {
		if (p.name.startsWith(`${PREFIX}${userId}:`) && !(opts.keepPending && (await pendingTitle(p.name)) !== null)) {
			open.delete(p);
			await p.destroy();
		}
	}
	const names = (await databaseNames()).filter((n) => ownedBy(userId)(n) || LEGACY.test(n));
	for (const name of names) {
		if (opts.keepPending && (await pendingTitle(name)) !== null) continue;
		await deleteDatabase(name);
	}
}

/**
 * Remembers who is signed in in this browser, and cleans up after someone whose session ended
 * without the sign-out button (expired, signed out in another tab, disabled): called with the
 * page's user (null on a signed-out page). Their unconfirmed edits are kept for their return.
 */
export async function followSignedInUser(userId: string | null): Promise<void> {
	const previous = localStorage.getItem(SIGNED_IN_KEY);
	// The key changes only once the cleanup is done: a page closed halfway leaves it to the next.
	if (previous && previous !== userId) await clearLocalCopies(previous, { keepPending: true });
	if (userId) localStorage.setItem(SIGNED_IN_KEY, userId);
	else localStorage.removeItem(SIGNED_IN_KEY);
}

/** Sign-out finished: this user's copies are gone already. */
export function forgetSignedInUser(): void {
	localStorage.removeItem(SIGNED_IN_KEY);
}
