import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { loadConfig } from '../../server/config.ts';
import { createServices, type Services } from '../../server/services.ts';
import { createCollab, type Collab } from '../../collab/server.ts';
import { attachCollab, type AttachOptions } from '../../collab/attach.ts';
import type { CollabDeps } from '../../collab/deps.ts';
import type { DocumentBackend } from '../../server/documents/backend.ts';
import { ADMIN_PASSWORD } from '../helpers/server.ts';
import { createBacking, type Backing } from '../helpers/backing.ts';
import { testPostgres } from '../helpers/database.ts';

/** A point where calls for one key can be held until the test releases them. */
export class Gate {
	private armed: { key: string; entered: number; held: Promise<void>; release: () => void } | null = null;

	/** From now on, calls for `key` wait at the gate. */
	close(key: string) {
		this.open();
		let release = () => {};
		const held = new Promise<void>((r) => (release = r));
		this.armed = { key, entered: 0, held, release };
	}

	/** Lets waiting and later calls through. */
	open() {
		this.armed?.release();
		this.armed = null;
	}

	/** How many calls are waiting (or waited) at the closed gate. */
	get entered() {
		return this.armed?.entered ?? 0;
	}

	async pass(key: string) {
		const a = this.armed;
		if (a?.key !== key) return;
		a.entered++;
		await a.held;
	}
}

/**
 * The collaboration server built in the test's own process, with the real extensions over the
 * real services and SQLite, served on a real HTTP server and WebSocket. A test can stand between
 * the server and its dependencies where a separate process could not be reached: it can hold
 * an authentication after it has read the user and the section (`authGate`, keyed by document),
 * hold a message after the server's checks and before it is applied (`messageGate`), hold the
 * commit of an update in the database (`appendGate`), and count the updates stored per document.
 */
export class InProcessCollab {
	services!: Services;
	collab!: Collab;
	readonly authGate = new Gate();
	readonly messageGate = new Gate();
	readonly appendGate = new Gate();
	private appendCounts = new Map<string, number>();
	private http = http.createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	private dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-inproc-'));
	private backing: Backing | null = null;

	async start(options: { attach?: AttachOptions } = {}) {
		// On PostgreSQL and Redis in the `postgres` project, like the test servers.
		const postgres = testPostgres();
		if (postgres) this.backing = await createBacking(postgres);
		const shared = this.backing ? { DATABASE_URL: this.backing.databaseUrl, REDIS_URL: this.backing.redisUrl } : {};
		this.services = await createServices(loadConfig({ DATA_DIR: this.dataDir, ADMIN_PASSWORD, LOG_LEVEL: 'silent', ...shared }), {
			documents: (backend) => this.gated(backend)
		});
		const { sessions, sections, store, cluster } = this.services;
		const deps: CollabDeps = {
			cluster,
			sessions,
			sections: Object.assign(Object.create(sections), {
				byDoc: async (doc: string) => {
					const found = await sections.byDoc(doc);
					await this.authGate.pass(doc);
					return found;
				}
			}),
			store
		};
		this.collab = createCollab(deps);
		// After every extension has seen the message (the hooks are bound per socket, so this
		// reaches every connection opened from now on).
		const hocuspocus = this.collab.hocuspocus;
		const hooks = hocuspocus.hooks.bind(hocuspocus);
		hocuspocus.hooks = (async (name: string, payload: { documentName?: string }, ...rest: unknown[]) => {
			const result = await (hooks as (...a: unknown[]) => Promise<unknown>)(name, payload, ...rest);
			if (name === 'beforeHandleMessage' && payload.documentName) await this.messageGate.pass(payload.documentName);
			return result;
		}) as typeof hocuspocus.hooks;
		attachCollab(this.http, this.collab.hocuspocus, options.attach);
		await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
		return this;
	}

	/** The database as the store sees it, with the commit of each append held at `appendGate` and counted. */
	private gated(backend: DocumentBackend): DocumentBackend {
		return Object.assign(Object.create(backend) as DocumentBackend, {
			append: async (doc: string, update: Uint8Array) => {
				await this.appendGate.pass(doc);
				await backend.append(doc, update);
				this.appendCounts.set(doc, this.appends(doc) + 1);
			}
		});
	}

	get wsUrl() {
		return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/collab`;
	}

	/** Updates stored for `doc` through the collaboration server since it started. */
	appends(doc: string) {
		return this.appendCounts.get(doc) ?? 0;
	}

	/** A session token of a demo account (they all share the admin's initial password). */
	async tokenFor(username: string) {
		const id = await this.services.users.checkCredentials(username, ADMIN_PASSWORD);
		if (!id) throw new Error(`no such user: ${username}`);
		return { userId: id, token: (await this.services.sessions.create(id)).token };
	}

	/** A new editor of a demo unit, signed in, with the unit's sections. */
	async freshEditor(username: string, unitName: string) {
		const { unitId, sections } = await this.sectionsOf(unitName);
		const { id: userId } = await this.services.users.create({ username, password: 'fresh-password', displayName: username, role: 'editor', unitId });
		return { userId, unitId, sections, token: (await this.services.sessions.create(userId)).token };
	}

	/** The demo sections of a unit, by the unit's name. */
	async sectionsOf(unitName: string) {
		const [manual] = await this.services.manuals.list();
		const outline = await this.services.manuals.outline(manual.id);
		const unit = outline.units.find((u) => u.name === unitName);
		if (!unit) throw new Error(`no such unit: ${unitName}`);
		return { unitId: unit.id, sections: unit.sections };
	}

	/** The section text as stored on disk (what a restart would load). */
	async storedText(doc: string) {
		const stored = new Y.Doc();
		const state = await this.services.store.load(doc);
		if (state) Y.applyUpdate(stored, state);
		return stored.getXmlFragment('default').toString();
	}

	async stop() {
		this.authGate.open();
		this.messageGate.open();
		this.appendGate.open();
		this.collab?.hocuspocus.closeConnections();
		this.http.closeAllConnections();
		await new Promise((resolve) => this.http.close(resolve));
		await this.services?.close();
		fs.rmSync(this.dataDir, { recursive: true, force: true });
		await this.backing?.dispose();
	}
}
