import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db/connect.ts';
import type { Role } from '../db/schema.ts';
import { errorFields, log } from '../log.ts';

/**
 * Sessions in the Lucia pattern: the client holds a random token, the database holds only
 * its SHA-256. A session slides forward when used in the second half of its life.
 */
export type SessionUser = {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	unitIds: string[];
};

export type Session = { id: string; userId: string; expiresAt: number };

export const SESSION_COOKIE = 'fk_session';
const DAY = 24 * 60 * 60 * 1000;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export class SessionService {
	private db: Db;
	private lifetimeDays: number;
	constructor(db: Db, lifetimeDays: number) {
		this.db = db;
		this.lifetimeDays = lifetimeDays;
	}

	get lifetimeMs() {
		return this.lifetimeDays * DAY;
	}

	/** Opens a session at sign-in, which is also when expired ones are cleared away. */
	async create(userId: string): Promise<{ token: string; session: Session }> {
		await this.deleteExpired();
		const token = generateSessionToken();
		const session = { id: sessionIdOf(token), userId, expiresAt: Date.now() + this.lifetimeMs };
		await this.db
			.insertInto('sessions')
			.values({ id: session.id, user_id: userId, expires_at: session.expiresAt })
			.execute();
		return { token, session };
	}

	/** The session and its user, or null when the token is unknown, expired, or the user is disabled. */
	async validate(token: string): Promise<{ session: Session; user: SessionUser } | null> {
		if (!token || token.length > 200) return null;
		const id = sessionIdOf(token);
		const row = await this.db
			.selectFrom('sessions')
			.innerJoin('users', 'users.id', 'sessions.user_id')
			.select([
				'sessions.id as sid',
				'sessions.expires_at',
				'users.id as uid',
				'users.username',
				'users.display_name',
				'users.role',
				'users.disabled'
			])
			.where('sessions.id', '=', id)
			.executeTakeFirst();
		if (!row) return null;
		const now = Date.now();
		if (row.expires_at <= now || row.disabled) {
			await this.db.deleteFrom('sessions').where('id', '=', id).execute();
			return null;
		}
		let expiresAt = Number(row.expires_at);
		if (expiresAt - now < this.lifetimeMs / 2) {
			expiresAt = now + this.lifetimeMs;
			await this.db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
		}
		const units = await this.db
			.selectFrom('unit_members')
			.select('unit_id')
			.where('user_id', '=', row.uid)
			.execute();
		return {
			session: { id, userId: row.uid, expiresAt },
			user: {
				id: row.uid,
				username: row.username,
				displayName: row.display_name,
				role: row.role,
				unitIds: units.map((u) => u.unit_id)
			}
		};
	}

	async invalidate(token: string): Promise<void> {
		await this.db.deleteFrom('sessions').where('id', '=', sessionIdOf(token)).execute();
	}

	async invalidateAllFor(userId: string): Promise<void> {
		await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
	}

	async deleteExpired(): Promise<void> {
		await this.db.deleteFrom('sessions').where('expires_at', '<=', Date.now()).execute();
	}

	/**
	 * Deletes expired sessions every `intervalMs` (sessions nobody presents again are otherwise
	 * never looked at). Returns the function that stops it; the timer never keeps the process up.
	 */
	sweepEvery(intervalMs: number): () => void {
		const timer = setInterval(() => {
			this.deleteExpired().catch((err) => log.warn('expired session sweep failed', errorFields(err)));
		}, intervalMs);
		timer.unref();
		return () => clearInterval(timer);
	}
}
