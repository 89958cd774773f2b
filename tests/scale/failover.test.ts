import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../server/db/connect.ts';
import { DocumentStore } from '../../server/documents/store.ts';
import { DatabaseBackend } from '../../server/documents/database-backend.ts';
import { ADMIN_PASSWORD, demoSection, signIn, type TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { rawPostgres } from '../helpers/database.ts';
import { Cluster } from './cluster.ts';

/** What one instance dying, or all of them compacting and seeding at once, must not lose. */
describe.skipIf(!Cluster.available())('instances dying, compacting and starting together', () => {
	const clusters: Cluster[] = [];
	const clients: CollabClient[] = [];
	const newCluster = async (env: Record<string, string> = {}) => {
		const c = await new Cluster(env).create();
		clusters.push(c);
		return c;
	};
	const client = (server: TestServer, doc: string, token: string) => {
		const c = new CollabClient(server.wsUrl, doc, token);
		clients.push(c);
		return c;
	};

	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const c of clusters) await c.dispose();
	});

	/** Types numbered tokens into a new paragraph, one every few ms, until `count` or `stop()`. */
	function typeTokens(c: CollabClient, prefix: string, count: number, stop: () => boolean = () => false) {
		c.appendParagraph(`${prefix}:`);
		const paragraph = c.fragment.get(c.fragment.length - 1) as Y.XmlElement;
		const text = paragraph.get(0) as Y.XmlText;
		const typed: string[] = [];
		const done = new Promise<string[]>((resolve) => {
			const timer = setInterval(() => {
				if (typed.length >= count || stop()) {
					clearInterval(timer);
					resolve(typed);
					return;
				}
				const token = `${prefix}${typed.length};`;
				text.insert(text.length, token);
				typed.push(token);
			}, 4);
		});
		return { typed, done };
	}

	it('SIGKILL of instance A while its client types: every confirmed edit is readable through B; A restarts and agrees', async () => {
		const cluster = await newCluster();
		const a = await cluster.instance().start();
		const b = await cluster.instance().start();
		const { section } = await demoSection(await signIn(a, 'admin'), '运输监督管理司');
		const writer = client(a, section.doc, (await signIn(a, 'yunshu1')).token!);
		// B holds the document open too, so what it serves is its live copy, not a fresh load.
		const watcher = client(b, section.doc, (await signIn(b, 'yunshu2')).token!);
		await Promise.all([writer.synced(), watcher.synced()]);
		writer.appendParagraph('断电之前已转发');
		await writer.confirmed();
		await until(() => watcher.text().includes('断电之前已转发'), 'relayed to B');

		// The worst moment to die: A has stored and confirmed edits it has not relayed yet. Redis
		// holds A's relays back (a paused Redis still serves reads), so every edit from now on is
		// in that state when A is killed.
		const redis = new Redis(cluster.backing.redisUrl);
		await redis.call('CLIENT', 'PAUSE', '60000', 'WRITE');
		let killed = false;
		let confirmedCount = 0;
		const typing = typeTokens(writer, '断电前', 100_000, () => killed);
		writer.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
			if (number === 0 && !killed) confirmedCount = typing.typed.length;
		});
		await until(() => confirmedCount >= 40, 'a good part of the typing confirmed');
		await a.stop('SIGKILL');
		killed = true;
		const typed = await typing.done;
		writer.destroy();
		const confirmed = typed.slice(0, confirmedCount);
		expect(watcher.text()).not.toContain(confirmed[0]); // really never relayed
		await redis.call('CLIENT', 'UNPAUSE');
		redis.disconnect();

		// Through B: its open editor and its API both come to hold every confirmed token.
		const holdsAll = (text: string) => confirmed.every((t) => text.includes(t));
		await until(() => holdsAll(watcher.text()), "B's editors get every confirmed edit", 20_000);
		const readThroughB = async () => JSON.stringify((await (await signIn(b, 'admin')).get(`/api/sections/${section.id}`)).body.content);
		expect(holdsAll(await readThroughB())).toBe(true);

		// A comes back and serves the same document as B.
		await a.start();
		const again = client(a, section.doc, (await signIn(a, 'yunshu1')).token!);
		await again.synced();
		await until(() => again.text() === watcher.text(), 'A and B agree after the restart');
		expect(holdsAll(again.text())).toBe(true);
	});

	it('SIGKILL of instance A holding relayed but unstored edits: B stores them, a fresh load has them', async () => {
		const cluster = await newCluster();
		const a = await cluster.instance().start();
		const b = await cluster.instance().start();
		const { section } = await demoSection(await signIn(a, 'admin'), '设备监督管理司');
		const writer = client(a, section.doc, (await signIn(a, 'shebei1')).token!);
		const watcher = client(b, section.doc, (await signIn(b, 'shebei2')).token!);
		await Promise.all([writer.synced(), watcher.synced()]);

		// A broadcasts before its commit: hold every insert into the log, so what A relays now is
		// in B's memory only when A dies.
		const db = await rawPostgres(cluster.backing.databaseUrl);
		await db.query('BEGIN');
		await db.query('LOCK TABLE doc_updates IN EXCLUSIVE MODE');
		writer.appendParagraph('已转发未落盘');
		await until(() => watcher.text().includes('已转发未落盘'), 'relayed to B');
		await a.stop('SIGKILL');
		writer.destroy();
		// The database would still run the insert it already received from the dead process.
		await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'insert into "doc_updates"%'`);
		await db.query('COMMIT');
		await db.close();

		// What a fresh load (a restart of everything) reads: B, seeing A gone, stored what it held.
		const stored = openPostgres(cluster.backing.databaseUrl);
		try {
			const text = async () => (await new DocumentStore(new DatabaseBackend(stored), 1000).loadDoc(section.doc))!.getXmlFragment('default').toString();
			await until(async () => (await text()).includes('已转发未落盘'), 'the relayed edit stored by B', 20_000);
		} finally {
			await stored.destroy();
		}
	});

	it('compaction on both instances during concurrent typing loses nothing', async () => {
		// Every append triggers a compaction on the instance that stored it.
		const cluster = await newCluster({ COMPACT_AFTER: '1' });
		const a = await cluster.instance().start();
		const b = await cluster.instance().start();
		const { section } = await demoSection(await signIn(a, 'admin'), '科技与法制司');
		const writers = [
			client(a, section.doc, (await signIn(a, 'kefa1')).token!),
			client(b, section.doc, (await signIn(b, 'kefa2')).token!),
			client(a, section.doc, (await signIn(a, 'kefa_leader')).token!),
			client(b, section.doc, (await signIn(b, 'kefa1')).token!)
		];
		await Promise.all(writers.map((w) => w.synced()));
		const db = openPostgres(cluster.backing.databaseUrl);
		try {
			// What is stored, read straight from the database as a fresh instance would load it.
			const stored = async () => (await new DocumentStore(new DatabaseBackend(db), 1000).loadDoc(section.doc))!.getXmlFragment('default').toString();
			// Rounds of typing from all four at once; two compactions meeting would lose rows.
			for (let round = 0; round < 3; round++) {
				const typed = (await Promise.all(writers.map((w, i) => typeTokens(w, `第${round}轮${i}号`, 100).done))).flat();
				await Promise.all(writers.map((w) => w.confirmed()));
				const text = await stored();
				expect(typed.filter((t) => !text.includes(t))).toEqual([]);
			}
		} finally {
			await db.destroy();
		}
	});

	it('two instances started at once on an empty database: one seeds, the other finds it seeded', async () => {
		const cluster = await newCluster();
		const [a, b] = [cluster.instance(), cluster.instance()];
		await Promise.all([a.start(), b.start()]);
		const admins = await cluster.sql<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = 'admin'");
		expect(admins[0].n).toBe(1);
		const manuals = await cluster.sql<{ n: number }>('SELECT count(*) AS n FROM manuals');
		expect(manuals[0].n).toBe(1);
		for (const server of [a, b]) expect((await (await signIn(server, 'admin', ADMIN_PASSWORD)).get('/api/manuals')).body).toHaveLength(1);
	});
});
