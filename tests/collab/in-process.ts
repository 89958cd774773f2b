import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/config.ts';
import { createServices, type Services } from '../../server/services.ts';
import { createCollab, type Collab } from '../../collab/server.ts';
import { attachCollab, type AttachOptions } from '../../collab/attach.ts';
import type { CollabDeps } from '../../collab/deps.ts';
import { ADMIN_PASSWORD } from '../helpers/server.ts';

/**
 * The collaboration server built in the test's own process, with the real extensions over the
 * real services and SQLite, served on a real HTTP server and WebSocket. Lets a test stand between
 * the server and its dependencies (hold an append, slow an authentication) where a separate
 * process could not be reached.
 */
export class InProcessCollab {
	services!: Services;
	collab!: Collab;
	private http = http.createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	private dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-inproc-'));

	async start(options: { deps?: (real: CollabDeps) => CollabDeps; attach?: AttachOptions; env?: Record<string, string> } = {}) {
		this.services = await createServices(
			loadConfig({ DATA_DIR: this.dataDir, ADMIN_PASSWORD, LOG_LEVEL: 'silent', ...options.env })
		);
		const real: CollabDeps = { sessions: this.services.sessions, sections: this.services.sections, store: this.services.store };
		this.collab = createCollab(options.deps ? options.deps(real) : real);
		attachCollab(this.http, this.collab.hocuspocus, options.attach);
		await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
		return this;
	}

	get wsUrl() {
		return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/collab`;
	}

	/** A session token of a demo account (they all share the admin's initial password). */
	async tokenFor(username: string) {
		const id = await this.services.users.checkCredentials(username, ADMIN_PASSWORD);
		if (!id) throw new Error(`no such user: ${username}`);
		return { userId: id, token: (await this.services.sessions.create(id)).token };
	}

	/** The demo sections of a unit, by the unit's name. */
	async sectionsOf(unitName: string) {
		const [manual] = await this.services.manuals.list();
		const outline = await this.services.manuals.outline(manual.id);
		const unit = outline.units.find((u) => u.name === unitName);
		if (!unit) throw new Error(`no such unit: ${unitName}`);
		return { unitId: unit.id, sections: unit.sections };
	}

	async stop() {
		this.collab?.hocuspocus.closeConnections();
		this.http.closeAllConnections();
		await new Promise((resolve) => this.http.close(resolve));
		await this.services?.close();
		fs.rmSync(this.dataDir, { recursive: true, force: true });
	}
}
