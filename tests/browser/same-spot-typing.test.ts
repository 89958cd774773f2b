import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { BrowserUser, failOnPageErrors } from '../helpers/browser.ts';
import { powerItemOf, riskRowsOf } from '../../collab/schema/extract.ts';

const SOON = { timeout: 10_000, interval: 100 };

/**
 * Two people with their carets at the same spot of one field, typing at the same time. The
 * merged text may interleave their characters, but each person's own characters must keep the
 * order they were typed in, in both browsers and on the server.
 */
describe('typing at the same spot of a cell', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let a: BrowserUser; // shebei1
	let b: BrowserUser; // shebei2
	let sectionId: string;
	let sectionPath: string;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		const section = demo.unit.sections[1];
		sectionId = section.id;
		sectionPath = `/manuals/${demo.manual.id}/sections/${section.id}`;
		[a, b] = await Promise.all([new BrowserUser(server.url).launch(), new BrowserUser(server.url).launch()]);
		await Promise.all([a.open(sectionPath, 'shebei1'), b.open(sectionPath, 'shebei2')]);
	});

	beforeEach(({ onTestFailed }) => {
		onTestFailed(() => console.error(`server output:\n${server.output}`));
	});
	failOnPageErrors(() => ({ shebei1: a, shebei2: b }));

	afterAll(async () => {
		await Promise.all([a?.close(), b?.close()]);
		await server.dispose();
	});

	const serverSection = async () => (await admin.get(`/api/sections/${sectionId}`)).body;

	/** Only the characters of one person (each person types from an alphabet of their own). */
	const own = (text: string, alphabet: RegExp) => [...text].filter((c) => alphabet.test(c)).join('');

	async function typeTogether(field: (u: BrowserUser) => ReturnType<BrowserUser['page']['locator']>, at: 'start' | 'end') {
		const shown = (u: BrowserUser) =>
			field(u).evaluate((el) => {
				const copy = el.cloneNode(true) as HTMLElement;
				for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
				return copy.textContent ?? '';
			});
		await Promise.all([a.editable(), b.editable()]);
		// The field's own text must not hold letters of either alphabet, or the check below lies.
		expect(await shown(a)).not.toMatch(/[a-x]/);
		await Promise.all([a.placeCaret(field(a), at), b.placeCaret(field(b), at)]);
		const textA = 'abcdefghijkl';
		const textB = 'mnopqrstuvwx';
		await Promise.all([a.page.keyboard.type(textA, { delay: 40 }), b.page.keyboard.type(textB, { delay: 40 })]);
		// Both browsers end with the same text, holding everything both typed.
		await expect
			.poll(async () => {
				const [ta, tb] = await Promise.all([shown(a), shown(b)]);
				return ta === tb && own(ta, /[a-l]/).length === textA.length && own(ta, /[m-x]/).length === textB.length;
			}, SOON)
			.toBe(true);
		const final = await shown(a);
		expect(own(final, /[a-l]/), `shebei1's characters in "${final}"`).toBe(textA);
		expect(own(final, /[m-x]/), `shebei2's characters in "${final}"`).toBe(textB);
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect.poll(() => b.saveState.getAttribute('data-state'), SOON).toBe('saved');
		return final;
	}

	it('keeps each person’s characters in order in a risk-table cell', async () => {
		const cell = (u: BrowserUser) => u.page.locator('.risk-row').first().locator('.risk-cell[data-field="form"]');
		const final = await typeTogether(cell, 'end');
		await expect.poll(async () => riskRowsOf((await serverSection()).content)[0].cells.form, SOON).toBe(final);
	});

	it('keeps each person’s characters in order at the start of a risk-table cell', async () => {
		const cell = (u: BrowserUser) => u.page.locator('.risk-row').first().locator('.risk-cell[data-field="measure"]');
		const final = await typeTogether(cell, 'start');
		await expect.poll(async () => riskRowsOf((await serverSection()).content)[0].cells.measure, SOON).toBe(final);
	});

	it('keeps each person’s characters in order in a field of the power-item card', async () => {
		const field = (u: BrowserUser) => u.page.locator('.pi-field[data-field="content"] .pi-value');
		const final = await typeTogether(field, 'end');
		await expect.poll(async () => powerItemOf((await serverSection()).content)?.fields.content, SOON).toBe(final);
	});

	it('keeps each person’s characters in order in a plain paragraph', async () => {
		const paragraph = (u: BrowserUser) => u.editor.locator(':scope > p').last();
		await typeTogether(paragraph, 'end');
	});

	it('keeps each person’s characters in order in a legal-basis article', async () => {
		const field = (u: BrowserUser) => u.page.locator('.basis-article').first();
		await typeTogether(field, 'end');
	});
});
