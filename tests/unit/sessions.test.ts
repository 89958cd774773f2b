import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { openSqlite, type Db } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrations/index.ts';
import type { Role } from '../../server/db/schema.ts';
import { generateSessionToken, SessionService, sessionIdOf } from '../../server/auth/sessions.ts';

const DAY = 24 * 60 * 60 * 1000;
const LIFETIME_DAYS = 30;

let dir: string;
let db: Db;
let sessions: SessionService;
let n = 0;

async function addUser(role: Role = 'editor', unitIds: string[] = []) {
	const id = `user-${++n}`;
	await db
		.insertInto('users')
		.values({ id, username: `u${n}`, display_name: `用户${n}`, password_hash: 'not-a-hash', role, disabled: 0, created_at: Date.now() })
		.execute();
	for (const unit_id of unitIds) await db.insertInto('unit_members').values({ unit_id, user_id: id }).execute();
	return id;
}

const row = (id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
const setExpiry = (id: string, expires_at: number) => db.updateTable('sessions').set({ expires_at }).where('id', '=', id).execute();

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-sessions-'));
	db = openSqlite(path.join(dir, 'fangkong.sqlite'));
	await migrate(db);
	sessions = new SessionService(db, LIFETIME_DAYS);
	for (const [id, name] of [['unit-a', '甲司'], ['unit-b', '乙司']])
		await db.insertInto('units').values({ id, name, position: 0, created_at: Date.now() }).execute();
});

afterAll(async () => {
	await db.destroy();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('session tokens', () => {
	it('are random, lower-case base32, and hashed with SHA-256 into the session id', () => {
		const a = generateSessionToken();
		const b = generateSessionToken();
		expect(a).not.toBe(b);
		expect(a).toMatch(/^[a-z2-7]{32}$/);
		expect(sessionIdOf(a)).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode(a))));
		expect(sessionIdOf(a)).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('SessionService', () => {
	it('creates a session that stores the token’s hash, never the token', async () => {
		const userId = await addUser();
		const before = Date.now();
		const { token, session } = await sessions.create(userId);
		const stored = await row(session.id);
		expect(stored).toBeDefined();
		expect(stored!.id).toBe(sessionIdOf(token));
		expect(stored!.id).not.toBe(token);
		expect(stored!.user_id).toBe(userId);
		expect(Number(stored!.expires_at)).toBe(session.expiresAt);
		expect(session.expiresAt).toBeGreaterThanOrEqual(before + LIFETIME_DAYS * DAY);
		const all = await db.selectFrom('sessions').selectAll().execute();
		expect(JSON.stringify(all)).not.toContain(token);
	});

	it('validates a token into its session and user, with the user’s units', async () => {
		const userId = await addUser('leader', ['unit-a', 'unit-b']);
		const { token, session } = await sessions.create(userId);
		const auth = await sessions.validate(token);
		expect(auth).not.toBeNull();
		expect(auth!.session).toEqual(session);
		expect(auth!.user).toMatchObject({ id: userId, role: 'leader', username: `u${n}`, displayName: `用户${n}` });
		expect([...auth!.user.unitIds].sort()).toEqual(['unit-a', 'unit-b']);
	});

	it('refuses unknown, empty, over-long tokens and the session id itself', async () => {
		const { session } = await sessions.create(await addUser());
		expect(await sessions.validate('')).toBeNull();
		expect(await sessions.validate(generateSessionToken())).toBeNull();
		expect(await sessions.validate('a'.repeat(201))).toBeNull();
		// What a leaked database holds cannot be replayed as a token.
		expect(await sessions.validate(session.id)).toBeNull();
	});

	it('invalidates one session, leaving the user’s others', async () => {
		const userId = await addUser();
		const one = await sessions.create(userId);
		const two = await sessions.create(userId);
		await sessions.invalidate(one.token);
		expect(await row(one.session.id)).toBeUndefined();
		expect(await sessions.validate(one.token)).toBeNull();
		expect(await sessions.validate(two.token)).not.toBeNull();
	});

	it('invalidates every session of a user', async () => {
		const userId = await addUser();
		const other = await sessions.create(await addUser());
		const tokens = [await sessions.create(userId), await sessions.create(userId)];
		await sessions.invalidateAllFor(userId);
		for (const t of tokens) expect(await sessions.validate(t.token)).toBeNull();
		expect(await sessions.validate(other.token)).not.toBeNull();
	});

	it('refuses and deletes an expired session', async () => {
		const { token, session } = await sessions.create(await addUser());
		await setExpiry(session.id, Date.now() - 1000);
		expect(await sessions.validate(token)).toBeNull();
		expect(await row(session.id)).toBeUndefined();
	});

	it('refuses the sessions of a disabled user', async () => {
		const userId = await addUser();
		const { token, session } = await sessions.create(userId);
		await db.updateTable('users').set({ disabled: 1 }).where('id', '=', userId).execute();
		expect(await sessions.validate(token)).toBeNull();
		expect(await row(session.id)).toBeUndefined();
	});

	it('slides a session forward when used in the second half of its life, not in the first', async () => {
		const { token, session } = await sessions.create(await addUser());
		// First half: left alone.
		const auth = await sessions.validate(token);
		expect(auth!.session.expiresAt).toBe(session.expiresAt);
		expect(Number((await row(session.id))!.expires_at)).toBe(session.expiresAt);

		// Second half: renewed to a full lifetime from now.
		const late = Date.now() + (LIFETIME_DAYS * DAY) / 2 - 60_000;
		await setExpiry(session.id, late);
		const t0 = Date.now();
		const renewed = await sessions.validate(token);
		const t1 = Date.now();
		const stored = Number((await row(session.id))!.expires_at);
		expect(stored).toBe(renewed!.session.expiresAt);
		expect(stored).toBeGreaterThan(late);
		expect(stored).toBeGreaterThanOrEqual(t0 + LIFETIME_DAYS * DAY);
		expect(stored).toBeLessThanOrEqual(t1 + LIFETIME_DAYS * DAY);
	});

	it('deletes expired sessions in bulk and keeps live ones', async () => {
		const userId = await addUser();
		const dead = await sessions.create(userId);
		const live = await sessions.create(userId);
		await setExpiry(dead.session.id, Date.now() - 1);
		await sessions.deleteExpired();
		expect(await row(dead.session.id)).toBeUndefined();
		expect(await row(live.session.id)).toBeDefined();
	});

	it('deletes everyone’s expired sessions when someone signs in', async () => {
		const stale = await sessions.create(await addUser());
		await setExpiry(stale.session.id, Date.now() - 1);
		await sessions.create(await addUser());
		expect(await row(stale.session.id)).toBeUndefined();
	});

	it('deletes expired sessions periodically, unasked', async () => {
		const stale = await sessions.create(await addUser());
		const live = await sessions.create(await addUser());
		await setExpiry(stale.session.id, Date.now() - 1);
		const stop = sessions.sweepEvery(20);
		try {
			await vi.waitFor(async () => expect(await row(stale.session.id)).toBeUndefined(), { timeout: 10_000, interval: 20 });
		} finally {
			stop();
		}
		expect(await row(live.session.id)).toBeDefined();
	});

	it('removes a user’s sessions when the user is deleted (foreign key cascade)', async () => {
		const userId = await addUser();
		const { session } = await sessions.create(userId);
		await db.deleteFrom('users').where('id', '=', userId).execute();
		expect(await row(session.id)).toBeUndefined();
	});
});
