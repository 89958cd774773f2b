import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { cellText, riskRows } from '../helpers/yblocks.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { acceptAll as acceptEverything } from '../helpers/workflow.ts';

/** Editions (DESIGN.md §3.2): publish, read, verify, revise, publish again, compare — all through the API. */
describe('editions', () => {
	const server = new TestServer();
	let coordinator: ApiClient;
	let reader: ApiClient;
	let leader: ApiClient;
	let manualId: string;
	let manual: { units: { id: string; name: string; sections: { id: string; doc: string; title: string; state: string }[] }[] };
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		await server.start();
		coordinator = await signIn(server, 'jijian');
		reader = await signIn(server, 'duzhe');
		leader = await signIn(server, 'kefa_leader');
		manualId = (await coordinator.get('/api/manuals')).body[0].id;
		manual = (await coordinator.get(`/api/manuals/${manualId}`)).body;
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.dispose();
	});

	const acceptAll = () => acceptEverything(server, coordinator, manualId);

	it('refuses to publish while sections are not accepted, naming them', async () => {
		const r = await coordinator.post(`/api/manuals/${manualId}/editions`, { note: '第一版' });
		expect(r.status).toBe(409);
		expect(r.body.error.code).toBe('not_ready');
		const total = manual.units.reduce((n, u) => n + u.sections.length, 0);
		expect(r.body.error.details).toHaveLength(total);
		expect(r.body.error.details[0]).toMatchObject({ id: expect.any(String), title: expect.any(String), state: 'draft' });
		expect((await leader.post(`/api/manuals/${manualId}/editions`, {})).status).toBe(403);
	});

	let first: { id: string; number: number; hash: string };

	it('publishes edition 1 once every section is accepted; sections turn published and readers read them', async () => {
		const sectionId = manual.units[0].sections[0].id;
		expect((await reader.get(`/api/sections/${sectionId}`)).status).toBe(403);
		await acceptAll();
		const r = await coordinator.post(`/api/manuals/${manualId}/editions`, { note: '经党组研究，汇编成册。' });
		expect(r.status, JSON.stringify(r.body)).toBe(201);
		first = r.body;
		expect(first.number).toBe(1);
		expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
		const outline = (await coordinator.get(`/api/manuals/${manualId}`)).body;
		for (const u of outline.units) for (const s of u.sections) expect(s.state).toBe('published');
		const asReader = await reader.get(`/api/sections/${sectionId}`);
		expect(asReader.status).toBe(200);
		expect(asReader.body).toMatchObject({ id: sectionId, state: 'published' });
		expect(riskRowsOf(asReader.body.content).length).toBeGreaterThan(0);
		const readerOutline = (await reader.get(`/api/manuals/${manualId}`)).body;
		expect(readerOutline.units.flatMap((u: { sections: { id: string }[] }) => u.sections.map((x) => x.id))).toEqual(manual.units.flatMap((u) => u.sections.map((x) => x.id)));
		const list = await reader.get(`/api/manuals/${manualId}/editions`);
		expect(list.body).toEqual([{ id: first.id, number: 1, hash: first.hash, note: '经党组研究，汇编成册。', publishedAt: expect.any(Number), publishedBy: { id: expect.any(String), username: 'jijian', displayName: expect.any(String) } }]);
	});

	it('draws the edition’s flowchart pictures once, right after publishing, for the Word book', async () => {
		const db = await server.database();
		try {
			const charts = manual.units.reduce((n, u) => n + u.sections.length, 0); // one flowchart per demo section
			await until(async () => Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM edition_pictures'))[0].n) === charts, 'pictures drawn after publishing', 30_000);
			const [row] = await db.query<{ png: Uint8Array; width: number }>('SELECT png, width FROM edition_pictures LIMIT 1');
			expect(Buffer.from(row.png).subarray(1, 4).toString()).toBe('PNG');
			expect(row.width).toBeGreaterThan(100);
		} finally {
			await db.close();
		}
	});

	it('gives the edition with every section, and verifies its hash', async () => {
		const e = await reader.get(`/api/editions/${first.id}`);
		expect(e.status).toBe(200);
		expect(e.body).toMatchObject({ id: first.id, manualId, number: 1, hash: first.hash, publishedAt: expect.any(Number) });
		const ids = manual.units.flatMap((u) => u.sections.map((s) => s.id));
		expect(e.body.sections.map((s: { id: string }) => s.id)).toEqual(ids);
		expect(e.body.sections[0]).toMatchObject({ unit: manual.units[0].name, title: manual.units[0].sections[0].title });
		expect(Object.keys(e.body.sections[0].flowcharts).length).toBeGreaterThan(0);
		expect((await reader.get(`/api/editions/${first.id}/verify`)).body).toMatchObject({ ok: true, hash: first.hash });
	});

	it('opens a revision: sections back to draft with the edition’s content, readers still read the edition', async () => {
		expect((await leader.post(`/api/manuals/${manualId}/revisions`)).status).toBe(403);
		const r = await coordinator.post(`/api/manuals/${manualId}/revisions`);
		expect(r.status).toBe(201);
		expect(r.body).toMatchObject({ fromEdition: { id: first.id, number: 1 }, nextNumber: 2 });
		expect((await coordinator.post(`/api/manuals/${manualId}/revisions`)).status).toBe(409);
		const outline = (await coordinator.get(`/api/manuals/${manualId}`)).body;
		for (const u of outline.units) for (const s of u.sections) expect(s.state).toBe('draft');

		// A unit changes a risk in the revision.
		const s = manual.units[2].sections[0];
		const editor = await signIn(server, 'shebei1');
		const c = new CollabClient(server.wsUrl, s.doc, editor.token!);
		clients.push(c);
		await c.synced();
		await until(() => c.scope === 'read-write', 'editor writable in the revision');
		const row = riskRows(c.doc)[0];
		c.doc.transact(() => {
			cellText(row, 'measure').insert(0, '【修订】');
			row.setAttribute('level', 'low');
		});
		await c.confirmed();
		// Readers see the published text, not the draft, and still find the section in the outline.
		expect((await reader.get(`/api/manuals/${manualId}`)).body.units[2].sections.map((x: { id: string }) => x.id)).toContain(s.id);
		const asReader = await reader.get(`/api/sections/${s.id}`);
		expect(asReader.status).toBe(200);
		expect(JSON.stringify(asReader.body.content)).not.toContain('【修订】');
		expect(JSON.stringify((await coordinator.get(`/api/sections/${s.id}`)).body.content)).toContain('【修订】');
	});

	it('publishes edition 2 chained to 1, and the diff names what changed', async () => {
		await acceptAll();
		const r = await coordinator.post(`/api/manuals/${manualId}/editions`, {});
		expect(r.status).toBe(201);
		expect(r.body.number).toBe(2);
		const e2 = (await reader.get(`/api/editions/${r.body.id}`)).body;
		expect(e2.prevHash).toBe(first.hash);
		const diff = await reader.get(`/api/editions/${first.id}/diff/${r.body.id}`);
		expect(diff.status).toBe(200);
		const changed = diff.body.sections.filter((s: { status: string }) => s.status !== 'same');
		expect(changed.map((s: { id: string }) => s.id)).toEqual([manual.units[2].sections[0].id]);
		const risk = changed[0].risks.changed[0];
		expect(risk.fields.map((f: { field: string }) => f.field).sort()).toEqual(['level', 'measure']);
		expect(risk.fields.find((f: { field: string }) => f.field === 'level').after).toBe('低');
		expect(changed[0].steps).toEqual({ added: [], removed: [], changed: [] });
		expect(diff.body.sections.filter((s: { status: string }) => s.status === 'same')).toHaveLength(diff.body.sections.length - 1);
		// The old edition still reads exactly as before.
		const again = await fetch(`${server.url}/api/editions/${first.id}`, { headers: { authorization: `Bearer ${reader.token}` } });
		expect(JSON.stringify((await reader.get(`/api/editions/${first.id}`)).body)).toBe(JSON.stringify(JSON.parse(await again.text())));
		expect(JSON.stringify((await reader.get(`/api/editions/${first.id}`)).body)).not.toContain('【修订】');
	});

	it('exports the edition as Word and Excel, reporting the Word export’s progress to whoever asked', async () => {
		// Listen on the reader's live signal stream while the export runs.
		const ctrl = new AbortController();
		const stream = await fetch(`${server.url}/api/events`, { headers: { authorization: `Bearer ${reader.token}` }, signal: ctrl.signal });
		expect(stream.headers.get('content-type')).toContain('text/event-stream');
		let seen = '';
		const reading = (async () => {
			const dec = new TextDecoder();
			try {
				for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) seen += dec.decode(chunk);
			} catch {
				/* aborted */
			}
		})();
		const docx = await fetch(`${server.url}/api/editions/${first.id}/export.docx?job=job-1`, { headers: { authorization: `Bearer ${reader.token}` } });
		expect(docx.status).toBe(200);
		expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
		expect(docx.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('国家铁路局行政许可廉政风险防控手册（第1版）.docx')}`);
		const bytes = new Uint8Array(await docx.arrayBuffer());
		expect(String.fromCharCode(bytes[0], bytes[1])).toBe('PK');
		await until(() => seen.includes('"stage":"packing"'), 'export progress on the signal stream');
		expect(seen).toContain('"job":"job-1"');
		expect(seen).toContain('"stage":"flowcharts"');
		ctrl.abort();
		await reading;
		const xlsx = await reader.request('GET', `/api/editions/${first.id}/export.xlsx`);
		expect(xlsx.status).toBe(200);
		expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		expect((await fetch(`${server.url}/api/editions/${first.id}/export.docx`)).status).toBe(401);
		expect((await reader.get('/api/editions/no-such/export.xlsx')).status).toBe(404);
	});

	it('detects one altered stored byte', async () => {
		const db = await server.database();
		const [row] = await db.query<{ snapshot: string }>('SELECT snapshot FROM editions WHERE id = ?', [first.id]);
		const i = row.snapshot.indexOf('受理');
		const altered = row.snapshot.slice(0, i) + '授' + row.snapshot.slice(i + 1);
		await db.query('UPDATE editions SET snapshot = ? WHERE id = ?', [altered, first.id]);
		await db.close();
		const v = await reader.get(`/api/editions/${first.id}/verify`);
		expect(v.body.ok).toBe(false);
		expect(v.body.hash).not.toBe(first.hash);
	});
});
