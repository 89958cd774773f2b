import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { editorSchema, readSection, schemaViolation, sectionToYUpdate, SECTION_FIELD } from '../../collab/schema/index.ts';
import { newSectionTemplate } from '../../collab/schema/template.ts';
import { flowchartIdsOf, powerItemOf, riskCounts, riskRowsOf } from '../../collab/schema/extract.ts';
import { FLOWCHARTS_MAP, orderedSteps } from '../../collab/schema/flowchart.ts';
import { DEMO_UNITS, buildSection } from '../../server/seed/demo-content.ts';

const docOf = (update: Uint8Array) => {
	const d = new Y.Doc();
	Y.applyUpdate(d, update);
	return d;
};

describe('editor schema', () => {
	it('defines the manual block types', () => {
		const names = Object.keys(editorSchema().nodes);
		for (const n of ['powerItem', 'powerItemField', 'legalBasis', 'riskTable', 'riskRow', 'riskCell', 'flowchart']) expect(names).toContain(n);
	});

	it('accepts every demo section, with 3–6 graded risks linked to real steps', () => {
		const sections = DEMO_UNITS.flatMap((u) => u.sections);
		expect(sections.length).toBeGreaterThanOrEqual(5);
		for (const spec of sections) {
			const doc = docOf(sectionToYUpdate(buildSection(spec)));
			expect(schemaViolation(doc)).toBeNull();
			const { content, flowcharts } = readSection(doc);
			const rows = riskRowsOf(content);
			expect(rows.length).toBeGreaterThanOrEqual(3);
			expect(rows.length).toBeLessThanOrEqual(6);
			const [chartId] = flowchartIdsOf(content);
			for (const r of rows) {
				expect(r.level).not.toBeNull();
				expect(flowcharts[chartId].nodes[r.stepId!]).toBeDefined();
			}
			expect(powerItemOf(content)?.fields.name).toBe(spec.title);
		}
	});

	it('starts a new section from the template: card, 受理→审查→决定→送达, one empty risk row', () => {
		const doc = docOf(sectionToYUpdate(newSectionTemplate('新事项')));
		expect(schemaViolation(doc)).toBeNull();
		const { content, flowcharts } = readSection(doc);
		expect(powerItemOf(content)?.fields).toMatchObject({ name: '新事项', code: '', limit: '' });
		const [chart] = Object.values(flowcharts);
		expect(orderedSteps(chart).map(([, s]) => s.label)).toEqual(['受理', '审查', '决定', '送达']);
		expect(Object.keys(chart.edges)).toHaveLength(3);
		const rows = riskRowsOf(content);
		expect(rows).toHaveLength(1);
		expect(riskCounts(rows).total).toBe(0);
	});

	it('rejects content that breaks the schema', () => {
		const good = () => docOf(sectionToYUpdate(newSectionTemplate('x')));
		const fragment = (d: Y.Doc) => d.getXmlFragment(SECTION_FIELD);

		const unknown = good();
		fragment(unknown).insert(0, [new Y.XmlElement('script')]);
		expect(schemaViolation(unknown)).toMatch(/unknown node/);

		const shortRow = good();
		const row = new Y.XmlElement('riskRow');
		row.insert(0, [Object.assign(new Y.XmlElement('riskCell'))]);
		const table = fragment(shortRow).toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'riskTable') as Y.XmlElement;
		table.insert(0, [row]);
		expect(schemaViolation(shortRow)).toMatch(/riskRow/);

		const badAttr = good();
		const p = new Y.XmlElement('paragraph');
		p.setAttribute('onclick', 'x');
		fragment(badAttr).insert(0, [p]);
		expect(schemaViolation(badAttr)).toMatch(/unknown attribute/);

		const markInCard = good();
		const card = fragment(markInCard).toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'powerItem') as Y.XmlElement;
		const name = card.get(0) as Y.XmlElement;
		const t = new Y.XmlText();
		name.insert(0, [t]);
		t.insert(0, '粗体', { bold: true });
		expect(schemaViolation(markInCard)).not.toBeNull();

		const badStep = good();
		const chart = badStep.getMap<Y.Map<Y.Map<Y.Map<unknown>>>>(FLOWCHARTS_MAP).values().next().value!;
		chart.get('nodes')!.values().next().value!.set('x', '一百');
		expect(schemaViolation(badStep)).toMatch(/invalid/);

		const danglingEdge = good();
		const chart2 = danglingEdge.getMap<Y.Map<Y.Map<Y.Map<unknown>>>>(FLOWCHARTS_MAP).values().next().value!;
		const edge = new Y.Map<unknown>();
		chart2.get('edges')!.set('e-bad', edge);
		edge.set('source', 'nope');
		edge.set('target', 'nope2');
		edge.set('label', '');
		expect(schemaViolation(danglingEdge)).toMatch(/never existed/);
	});

	it('refuses to build content that does not fit', () => {
		expect(() => sectionToYUpdate({ content: { type: 'doc', content: [{ type: 'riskRow', content: [] }] } })).toThrow();
		expect(() => sectionToYUpdate({ content: { type: 'doc', content: [{ type: 'powerItem', content: [] }] } })).toThrow();
	});
});

describe('incremental schema check (what the collaboration server runs per update)', () => {
	const base = () => {
		const d = new Y.Doc();
		Y.applyUpdate(d, sectionToYUpdate(newSectionTemplate('增量')));
		return d;
	};
	/** Runs `change` on a client copy and returns the update it produced. */
	const updateFrom = (server: Y.Doc, change: (client: Y.Doc) => void) => {
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const sv = Y.encodeStateVector(client);
		change(client);
		return Y.encodeStateAsUpdate(client, sv);
	};
	const top = (d: Y.Doc, name: string) => d.getXmlFragment(SECTION_FIELD).toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === name) as Y.XmlElement;

	it('agrees with the full check on good and bad changes', async () => {
		const { IncrementalSchemaCheck } = await import('../../collab/schema/index.ts');
		const cases: [string, (c: Y.Doc) => void, boolean][] = [
			['typing in a risk cell', (c) => { const cell = (top(c, 'riskTable').get(0) as Y.XmlElement).get(1) as Y.XmlElement; cell.insert(0, [new Y.XmlText('文字')]); }, true],
			['a new valid paragraph', (c) => { const p = new Y.XmlElement('paragraph'); p.insert(0, [new Y.XmlText('段落')]); c.getXmlFragment(SECTION_FIELD).push([p]); }, true],
			['deleting a cell from a row', (c) => (top(c, 'riskTable').get(0) as Y.XmlElement).delete(0, 1), false],
			// Allowed: two people deleting the last rows at once must both be able to save.
			['deleting the only row', (c) => top(c, 'riskTable').delete(0, 1), true],
			['deleting a cell of a row', (c) => (top(c, 'riskTable').get(0) as Y.XmlElement).delete(0, 1), false],
			['bold text in a card field', (c) => { const t = new Y.XmlText(); ((top(c, 'powerItem').get(1)) as Y.XmlElement).insert(0, [t]); t.insert(0, '粗', { bold: true }); }, false],
			['an unknown attribute on a row', (c) => (top(c, 'riskTable').get(0) as Y.XmlElement).setAttribute('onclick', 'x'), false],
			['a nested unknown node', (c) => { const row = top(c, 'riskTable').get(0) as Y.XmlElement; ((row.get(0)) as Y.XmlElement).insert(0, [new Y.XmlElement('script')]); }, false],
			['a step moved', (c) => { const chart = c.getMap<Y.Map<Y.Map<Y.Map<unknown>>>>(FLOWCHARTS_MAP).values().next().value!; chart.get('nodes')!.values().next().value!.set('x', 42); }, true],
			['a step with a text position', (c) => { const chart = c.getMap<Y.Map<Y.Map<Y.Map<unknown>>>>(FLOWCHARTS_MAP).values().next().value!; chart.get('nodes')!.values().next().value!.set('y', '下面'); }, false]
		];
		for (const [what, change, ok] of cases) {
			const server = base();
			const update = updateFrom(server, change);
			const full = new Y.Doc();
			Y.applyUpdate(full, Y.encodeStateAsUpdate(server));
			Y.applyUpdate(full, update);
			expect(schemaViolation(full) === null, `full check: ${what}`).toBe(ok);
			const check = new IncrementalSchemaCheck(server);
			expect(check.apply(update) === null, `incremental check: ${what}`).toBe(ok);
			check.destroy();
		}
	});
});
