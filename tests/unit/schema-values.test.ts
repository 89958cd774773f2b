import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IncrementalSchemaCheck, schemaViolation, SECTION_FIELD, sectionToYUpdate } from '../../collab/schema/index.ts';
import { FLOWCHARTS_MAP } from '../../collab/schema/flowchart.ts';
import { MAX_DOC_BYTES, MAX_UPDATE_BYTES } from '../../collab/schema/limits.ts';
import { buildSection, DEMO_UNITS } from '../../server/seed/demo-content.ts';
import { findAll, riskRows } from '../helpers/yblocks.ts';
import { nestBlockquotes } from '../helpers/section-mutations.ts';

/**
 * Values, shapes and sizes the guard must refuse (issue #6, item 7: each was accepted once).
 * Every case is an edit a client makes with real Yjs operations on a real demo section; both the
 * check the server runs per update and the full check must refuse it.
 */

const section = () => {
	const d = new Y.Doc();
	Y.applyUpdate(d, sectionToYUpdate(buildSection(DEMO_UNITS[1].sections[0])));
	return d;
};

/** The verdicts of both checks on the update `change` makes to a client copy of `server`. */
function verdicts(server: Y.Doc, change: (client: Y.Doc) => void) {
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const sv = Y.encodeStateVector(client);
	change(client);
	const update = Y.encodeStateAsUpdate(client, sv);
	const full = new Y.Doc();
	Y.applyUpdate(full, Y.encodeStateAsUpdate(server));
	Y.applyUpdate(full, update);
	const shadow = new Y.Doc();
	Y.applyUpdate(shadow, Y.encodeStateAsUpdate(server));
	const check = new IncrementalSchemaCheck(shadow);
	const incremental = check.apply(update);
	check.destroy();
	return { full: schemaViolation(full), incremental, update };
}

const fragment = (d: Y.Doc) => d.getXmlFragment(SECTION_FIELD);
const paragraphText = (d: Y.Doc) => {
	const p = findAll(fragment(d), 'paragraph')[0];
	const t = new Y.XmlText();
	p.insert(0, [t]);
	return t;
};
const firstStep = (d: Y.Doc) => {
	const chart = [...d.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).values()][0];
	return [...(chart.get('nodes') as Y.Map<Y.Map<unknown>>).values()][0];
};
const ymap = (obj: Record<string, unknown>) => {
	const m = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(obj)) m.set(k, v);
	return m;
};
const nest = (d: Y.Doc, levels: number) => nestBlockquotes(fragment(d), levels, 0, [new Y.XmlElement('paragraph')]);
const LINK = { target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null };

const refused: [string, (d: Y.Doc) => void][] = [
	['risk level "critical"', (d) => riskRows(d)[0].setAttribute('level', 'critical')],
	['risk level "__proto__"', (d) => riskRows(d)[0].setAttribute('level', '__proto__')],
	['a category outside 权力行使 / 制度机制 / 思想道德', (d) => riskRows(d)[0].setAttribute('category', '其他类别')],
	['a deadline holding markup', (d) => riskRows(d)[0].setAttribute('deadline', '<img src=x onerror=alert(1)>')],
	['a deadline that is no date', (d) => riskRows(d)[0].setAttribute('deadline', '2025-02-30')],
	['a step link holding markup', (d) => riskRows(d)[0].setAttribute('stepId', '"><script>alert(1)</script>')],
	['heading level 99', (d) => {
		const h = new Y.XmlElement('heading');
		h.setAttribute('level', 99 as unknown as string);
		fragment(d).insert(0, [h]);
	}],
	['a javascript: link', (d) => paragraphText(d).insert(0, '点我', { link: { href: 'javascript:alert(document.cookie)', ...LINK } })],
	['bold and code on the same text', (d) => paragraphText(d).insert(0, '粗体代码', { bold: {}, code: {} })],
	['six cells all with one field', (d) => {
		const row = new Y.XmlElement('riskRow');
		row.insert(0, Array.from({ length: 6 }, () => {
			const c = new Y.XmlElement('riskCell');
			c.setAttribute('field', 'point');
			return c;
		}));
		findAll(fragment(d), 'riskTable')[0].insert(0, [row]);
	}],
	['a cell renamed to another field', (d) => (riskRows(d)[0].get(2) as Y.XmlElement).setAttribute('field', 'plan')],
	['an extra root Y.Map', (d) => d.getMap('extra').set('x', 'y')],
	['an extra root Y.Text', (d) => d.getText('extra').insert(0, '附加内容')],
	['an extra root Y.XmlFragment', (d) => {
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText('隐藏段落')]);
		d.getXmlFragment('extra').insert(0, [p]);
	}],
	['a step with an unknown field', (d) => firstStep(d).set('onclick', 'alert(1)')],
	['a step label of more than four times 200 characters', (d) => firstStep(d).set('label', '审'.repeat(801))],
	['a step label as Y.Text of more than four times 200 characters', (d) => {
		const t = new Y.Text();
		t.insert(0, '审'.repeat(801));
		firstStep(d).set('label', t);
	}],
	['an edge with an unknown field', (d) => {
		const chart = [...d.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).values()][0];
		const [a, b] = [...(chart.get('nodes') as Y.Map<unknown>).keys()];
		(chart.get('edges') as Y.Map<unknown>).set('e-extra', ymap({ source: a, target: b, label: '', style: 'stroke:red' }));
	}],
	['1,800 nested blockquotes', (d) => nest(d, 1800)]
];

describe('the schema guard checks values, not only names', () => {
	for (const [what, change] of refused) {
		it(`refuses ${what}`, () => {
			const { full, incremental } = verdicts(section(), change);
			expect(incremental, 'incremental check').not.toBeNull();
			expect(full, 'full check').not.toBeNull();
		});
	}

	it('accepts the values the editor makes', () => {
		const ok: [string, (d: Y.Doc) => void][] = [
			['every risk level', (d) => riskRows(d).forEach((r, i) => r.setAttribute('level', ['high', 'medium', 'low'][i % 3]))],
			['a deadline', (d) => riskRows(d)[0].setAttribute('deadline', '2028-02-29')],
			['an https link and a mailto link', (d) => {
				const t = paragraphText(d);
				t.insert(0, '网站', { link: { href: 'https://www.nra.gov.cn/', ...LINK } });
				t.insert(0, '邮件', { link: { href: 'mailto:jiwei@nra.gov.cn', ...LINK }, bold: {} });
			}],
			['heading levels 1 to 6', (d) => {
				for (let level = 1; level <= 6; level++) {
					const h = new Y.XmlElement('heading');
					h.setAttribute('level', level as unknown as string);
					h.insert(0, [new Y.XmlText(`标题${level}`)]);
					fragment(d).insert(0, [h]);
				}
			}],
			['a step label typed into a Y.Text', (d) => {
				const t = new Y.Text();
				t.insert(0, '材料审查（复核）');
				firstStep(d).set('label', t);
			}],
			// Two people adding to one name at once, each within the limit: readers clip the merge.
			['a Y.Text step label past 200 characters', (d) => {
				const t = new Y.Text();
				t.insert(0, '审'.repeat(390));
				firstStep(d).set('label', t);
			}],
			['40 nested blockquotes', (d) => nest(d, 40)]
		];
		for (const [what, change] of ok) {
			const { full, incremental } = verdicts(section(), change);
			expect(incremental, `incremental check: ${what}`).toBeNull();
			expect(full, `full check: ${what}`).toBeNull();
		}
	});

	it('refuses an update of 10 MB', () => {
		const { incremental } = verdicts(section(), (d) => paragraphText(d).insert(0, 'x'.repeat(10_000_000)));
		expect(incremental).not.toBeNull();
	});

	it('refuses growing a document past its size cap, but lets one already past it shrink', () => {
		const server = section();
		const big = (d: Y.Doc, chars: number) => paragraphText(d).insert(0, 'x'.repeat(chars));
		// Each update is under the update cap; together they pass the document cap.
		const first = verdicts(server, (d) => big(d, MAX_UPDATE_BYTES - 100_000));
		expect(first.incremental).toBeNull();
		Y.applyUpdate(server, first.update);
		const second = verdicts(server, (d) => big(d, MAX_DOC_BYTES - MAX_UPDATE_BYTES + 200_000));
		expect(second.incremental).toMatch(/document of/);
		// Old data already past the cap: deleting is taken, adding is not.
		Y.applyUpdate(server, second.update);
		expect(Y.encodeStateAsUpdate(server).length).toBeGreaterThan(MAX_DOC_BYTES);
		expect(verdicts(server, (d) => (findAll(fragment(d), 'paragraph')[0].get(0) as Y.XmlText).delete(0, 1000)).incremental).toBeNull();
		expect(verdicts(server, (d) => big(d, 10)).incremental).toMatch(/document of/);
	});

	it('refuses a 20,000,000-character extra root text', () => {
		const { incremental, full } = verdicts(section(), (d) => d.getText('payload').insert(0, 'x'.repeat(20_000_000)));
		expect(incremental).not.toBeNull();
		expect(full).not.toBeNull();
	});
});
