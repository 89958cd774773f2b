import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { findAll, riskRows } from '../helpers/yblocks.ts';
import { nestBlockquotes } from '../helpers/section-mutations.ts';
import { DocumentStore } from '../../server/documents/store.ts';
import { DatabaseBackend } from '../../server/documents/database-backend.ts';
import { FLOWCHARTS_MAP } from '../../collab/schema/flowchart.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { MAX_DEPTH } from '../../collab/schema/limits.ts';

const LINK = { target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null };

/** Nesting level of the deepest element in ProseMirror JSON (iterative: the content may be very deep). */
function depthOf(json: unknown): number {
	let max = 0;
	const stack: [unknown, number][] = [[json, 0]];
	while (stack.length) {
		const [n, d] = stack.pop()!;
		max = Math.max(max, d);
		for (const c of (n as { content?: { type: string }[] }).content ?? []) if (c.type !== 'text') stack.push([c, d + 1]);
	}
	return max;
}

/** The same for the section text in a Y.Doc. */
function yDepthOf(fragment: Y.XmlFragment): number {
	let max = 0;
	const stack: [Y.XmlFragment, number][] = [[fragment, 0]];
	while (stack.length) {
		const [n, d] = stack.pop()!;
		max = Math.max(max, d);
		for (const c of n.toArray()) if (c instanceof Y.XmlElement) stack.push([c, d + 1]);
	}
	return max;
}

describe('schema guard on a running server', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let editor: ApiClient;
	let section: { id: string; doc: string };
	const clients: CollabClient[] = [];
	const client = (token: string, doc = section.doc) => {
		const c = new CollabClient(server.wsUrl, doc, token);
		clients.push(c);
		return c;
	};
	const content = async (id = section.id) => {
		const r = await admin.get(`/api/sections/${id}`);
		expect(r.status).toBe(200);
		return JSON.stringify(r.body.content);
	};
	/** A client of the section that makes `change` and must be refused for it. */
	const refused = async (change: (c: CollabClient) => void) => {
		const c = await client(editor.token!).synced();
		change(c);
		await until(() => c.closes.includes('schema-violation'), 'the server refuses the update');
		c.destroy();
	};
	const paragraphText = (c: CollabClient) => {
		const t = new Y.XmlText();
		findAll(c.fragment, 'paragraph')[0].insert(0, [t]);
		return t;
	};

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		editor = await signIn(server, 'shebei1');
		section = (await demoSection(admin, '设备监督管理司')).section;
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.dispose();
	});

	it('refuses text that is both bold and code, so the next load finds nothing to exempt', async () => {
		await refused((c) => paragraphText(c).insert(0, '粗体代码', { bold: {}, code: {} }));
		expect(await content()).not.toContain('粗体代码');
		await server.restart();
		// Still checked after a restart: a script element is refused too.
		await refused((c) => {
			const s = new Y.XmlElement('script');
			s.insert(0, [new Y.XmlText('alert(1)')]);
			c.fragment.insert(0, [s]);
		});
		expect(await content()).not.toContain('alert(1)');
		// Nothing invalid was stored, so the restart found nothing to repair.
		expect(server.output).not.toContain('document broke the schema when loaded');
	});

	it('refuses values, shapes and sizes the schema does not allow', async () => {
		await refused((c) => riskRows(c.doc)[0].setAttribute('level', 'critical'));
		await refused((c) => paragraphText(c).insert(0, '链接', { link: { href: 'javascript:alert(1)', ...LINK } }));
		await refused((c) => c.doc.getMap('extra').set('payload', 'x'.repeat(1000)));
		await refused((c) => nestBlockquotes(c.fragment, 150, 0, [new Y.XmlElement('paragraph')]));
		const text = await content();
		expect(text).not.toContain('javascript:');
		expect(text).not.toContain('blockquote');
		expect(riskRowsOf(JSON.parse(text)).map((r) => r.level)).not.toContain('critical');
		// Honest edits still go through on the same section.
		const ok = await client(editor.token!).synced();
		ok.appendParagraph('守规矩的修改');
		await ok.confirmed();
		expect(await content()).toContain('守规矩的修改');
	});

	it('takes two people adding to one step name at once, though the merge runs past its limit', async () => {
		const [a, b] = await Promise.all([client(editor.token!).synced(), signIn(server, 'shebei2').then((e) => client(e.token!).synced())]);
		const stepOf = (c: CollabClient) => {
			const chart = [...c.doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).values()][0];
			return [...(chart.get('nodes') as Y.Map<Y.Map<unknown>>).entries()][0];
		};
		const [stepId] = stepOf(a);
		const label = (c: CollabClient) => stepOf(c)[1].get('label');
		expect(label(a)).toBeInstanceOf(Y.Text);
		// Each stays within 200 characters on their own screen; neither has seen the other's yet.
		const start = (label(a) as Y.Text).length;
		(label(a) as Y.Text).insert(start, '甲'.repeat(200 - start));
		(label(b) as Y.Text).insert(0, '乙'.repeat(200 - start));
		await Promise.all([a.confirmed(), b.confirmed()]);
		await until(() => (label(a) as Y.Text).length === 400 - start && (label(b) as Y.Text).length === 400 - start, 'both clients have both additions');
		expect([...a.closes, ...b.closes]).not.toContain('schema-violation');
		const r = await admin.get(`/api/sections/${section.id}`);
		const chart = Object.values(r.body.flowcharts as Record<string, { nodes: Record<string, { label: string }> }>)[0];
		expect(chart.nodes[stepId].label).toHaveLength(200);
	});

	it('repairs a damaged stored document when it loads, stores the repair, and keeps checking it', async () => {
		const { section: damaged, unit, manual } = await demoSection(admin, '运输监督管理司');
		await server.stop();
		// Old data: what an older guard let through, written where the server keeps documents.
		const db = server.openDb();
		const store = new DocumentStore(new DatabaseBackend(db), 1000);
		const doc = (await store.loadDoc(damaged.doc))!;
		const sv = Y.encodeStateVector(doc);
		doc.transact(() => {
			riskRows(doc)[0].setAttribute('level', 'critical');
			const fragment = doc.getXmlFragment('default');
			const p = new Y.XmlElement('paragraph');
			const t = new Y.XmlText();
			p.insert(0, [t]);
			fragment.insert(0, [p]);
			t.insert(0, '保留的文字');
			t.insert(5, '粗体代码', { bold: {}, code: {} });
			t.insert(9, '坏链接', { link: { href: 'javascript:alert(1)', ...LINK } });
			const script = new Y.XmlElement('script');
			script.insert(0, [new Y.XmlText('alert(document.cookie)')]);
			fragment.insert(1, [script]);
			nestBlockquotes(fragment, 6000);
			doc.getText('payload').insert(0, '隐藏的内容'.repeat(1000));
			const chart = [...doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).values()][0];
			[...(chart.get('nodes') as Y.Map<Y.Map<unknown>>).values()][0].set('onclick', 'alert(1)');
		});
		await store.append(damaged.doc, Y.encodeStateAsUpdate(doc, sv));
		await store.close();
		await db.destroy();
		await server.start();

		const check = async () => {
			const r = await admin.get(`/api/sections/${damaged.id}`);
			expect(r.status).toBe(200);
			const text = JSON.stringify(r.body.content);
			expect(text).toContain('保留的文字');
			expect(text).toContain('粗体代码');
			for (const gone of ['alert(', 'javascript:', 'critical']) expect(text).not.toContain(gone);
			// What nests deeper than the schema allows is cut off at its limit.
			expect(depthOf(r.body.content)).toBeLessThanOrEqual(MAX_DEPTH);
			expect(Object.keys(r.body.flowcharts)).toHaveLength(1);
			const page = await fetch(`${server.url}/manuals/${manual.id}/map/${unit.id}`, { headers: { cookie: `${SESSION_COOKIE}=${admin.token}` } });
			expect(page.status).toBe(200);
		};
		// Readers are served before anyone opens the document…
		await check();
		// …and an editor who opens it gets the repaired document.
		const [e1] = await Promise.all([signIn(server, 'yunshu1')]);
		const c = await client(e1.token!, damaged.doc).synced();
		expect(c.text()).toContain('保留的文字');
		expect(c.fragment.toArray().some((e) => e instanceof Y.XmlElement && e.nodeName === 'script')).toBe(false);
		expect(yDepthOf(c.fragment)).toBeLessThanOrEqual(MAX_DEPTH);
		expect(c.doc.getText('payload').length).toBe(0);
		expect(server.output).toContain('document broke the schema when loaded: repaired');
		expect(server.output).not.toContain('quarantined');
		// It takes honest edits, and is checked like any other document.
		c.appendParagraph('修复后的修改');
		await c.confirmed();
		const s = new Y.XmlElement('script');
		s.insert(0, [new Y.XmlText('alert(2)')]);
		c.fragment.insert(0, [s]);
		await until(() => c.closes.includes('schema-violation'), 'the server refuses the update');
		c.destroy();
		await check();

		// The repair was stored: after a restart there is nothing left to repair.
		const repairs = server.output.split('repaired').length;
		await server.restart();
		const again = await client(e1.token!, damaged.doc).synced();
		expect(yDepthOf(again.fragment)).toBeLessThanOrEqual(MAX_DEPTH);
		expect(server.output.split('repaired').length).toBe(repairs);
		await check();
	});
});
