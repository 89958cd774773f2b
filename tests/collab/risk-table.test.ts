import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { cellText, newRiskRow, riskRows, riskTable, textOfCell } from '../helpers/yblocks.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';

describe('risk table under concurrent editing', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let a: CollabClient;
	let b: CollabClient;
	let section: { id: string; doc: string };

	const apiRows = async () => riskRowsOf((await admin.get(`/api/sections/${section.id}`)).body.content);
	const both = async () => {
		await Promise.all([a.confirmed(), b.confirmed()]);
		await until(() => Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString(), 'clients converge');
	};

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		section = (await demoSection(admin, '运输监督管理司')).section;
		const [e1, e2] = await Promise.all([signIn(server, 'yunshu1'), signIn(server, 'yunshu2')]);
		a = await new CollabClient(server.wsUrl, section.doc, e1.token!).synced();
		b = await new CollabClient(server.wsUrl, section.doc, e2.token!).synced();
	});

	afterAll(async () => {
		a?.destroy();
		b?.destroy();
		await server.dispose();
	});

	it('merges typing in the same cell character by character', async () => {
		const ta = cellText(riskRows(a.doc)[0], 'measure');
		const tb = cellText(riskRows(b.doc)[0], 'measure');
		const before = ta.toString();
		ta.insert(0, '【甲】');
		tb.insert(tb.length, '【乙】');
		ta.insert(2, '插');
		await both();
		for (const c of [a, b]) {
			const text = textOfCell(riskRows(c.doc)[0], 'measure');
			expect(text).toBe('【甲插】' + before + '【乙】');
		}
		const rows = await apiRows();
		expect(rows[0].cells.measure).toBe('【甲插】' + before + '【乙】');
	});

	it('keeps edits to different rows and to row attributes', async () => {
		cellText(riskRows(a.doc)[1], 'point').insert(0, '甲改');
		cellText(riskRows(b.doc)[2], 'form').insert(0, '乙改');
		riskRows(b.doc)[1].setAttribute('level', 'low');
		await both();
		const rows = await apiRows();
		expect(rows[1].cells.point.startsWith('甲改')).toBe(true);
		expect(rows[1].level).toBe('low');
		expect(rows[2].cells.form.startsWith('乙改')).toBe(true);
	});

	it('keeps a row added by one user while the other types elsewhere, and a deleted row stays deleted', async () => {
		const table = riskTable(a.doc);
		const n = riskRows(a.doc).length;
		a.doc.transact(() => table.insert(table.length, [newRiskRow('rnew1')]));
		cellText(riskRows(b.doc)[0], 'post').insert(0, '乙并发');
		await both();
		const added = riskRows(b.doc).find((r) => r.getAttribute('id') === 'rnew1')!;
		expect(added).toBeInstanceOf(Y.XmlElement);
		cellText(added, 'point').insert(0, '新风险点');
		// A deletes the second row while B types into it: the deletion wins, B's text goes with the row.
		const victimId = riskRows(a.doc)[1].getAttribute('id');
		riskTable(a.doc).delete(1, 1);
		cellText(riskRows(b.doc)[1], 'form').insert(0, '被删行里的字');
		await both();
		const rows = await apiRows();
		expect(rows).toHaveLength(n);
		expect(rows.some((r) => r.id === victimId)).toBe(false);
		expect(rows.find((r) => r.id === 'rnew1')?.cells.point).toBe('新风险点');
		expect(rows[0].cells.post.startsWith('乙并发')).toBe(true);
		expect(JSON.stringify(rows)).not.toContain('被删行里的字');
	});

	it('refuses a row that breaks the schema and keeps the document intact', async () => {
		const bad = new Y.XmlElement('riskRow');
		bad.setAttribute('id', 'broken');
		riskTable(b.doc).insert(0, [bad]);
		await until(() => b.closes.includes('schema-violation'), 'bad update refused');
		const rows = await apiRows();
		expect(rows.some((r) => r.id === 'broken')).toBe(false);
		expect(rows.length).toBeGreaterThan(0);
		// The other client never saw it, and the server is still serving.
		expect(riskRows(a.doc).some((r) => r.getAttribute('id') === 'broken')).toBe(false);
		expect((await admin.get('/healthz')).status).toBe(200);
	});
});

describe('honest concurrent deletions', () => {
	const server = new TestServer();
	let a: CollabClient;
	let b: CollabClient;

	afterAll(async () => {
		a?.destroy();
		b?.destroy();
		await server.dispose();
	});

	it('never locks out a colleague whose deletion, merged with another, empties the risk table or the legal basis', async () => {
		await server.start();
		const admin = await signIn(server, 'admin');
		const section = (await demoSection(admin, '科技与法制司')).section;
		const [e1, e2] = await Promise.all([signIn(server, 'kefa1'), signIn(server, 'kefa2')]);
		a = await new CollabClient(server.wsUrl, section.doc, e1.token!).synced();
		b = await new CollabClient(server.wsUrl, section.doc, e2.token!).synced();
		// B works offline and deletes the last risk row and the last legal basis item …
		b.provider.disconnect();
		const table = riskTable(b.doc);
		const basisOf = (doc: Y.Doc) => (doc.getXmlFragment('default').toArray() as Y.XmlElement[]).flatMap((el) => (el.nodeName === 'powerItem' ? el.toArray() : [])).find((x) => x instanceof Y.XmlElement && x.nodeName === 'legalBasis') as Y.XmlElement;
		b.doc.transact(() => {
			table.delete(table.length - 1, 1);
			const basis = basisOf(b.doc);
			basis.delete(basis.length - 1, 1);
		});
		// … while A deletes all the others and is confirmed.
		a.doc.transact(() => {
			const t = riskTable(a.doc);
			t.delete(0, t.length - 1);
			const basis = basisOf(a.doc);
			basis.delete(0, basis.length - 1);
		});
		await a.confirmed();
		await b.provider.connect();
		await b.confirmed();
		expect(b.closes).not.toContain('schema-violation');
		await until(() => Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString(), 'clients converge');
		const rows = riskRowsOf((await admin.get(`/api/sections/${section.id}`)).body.content);
		expect(rows).toEqual([]);
	});
});
