/**
 * What checking incoming updates against the schema costs per keystroke, for sections of
 * growing size (up to 2,000 risk rows, the size the limits in collab/schema/limits.ts are
 * chosen for), in one run:
 *   - baseline: applying the update with no check at all;
 *   - full copy: copy the document, apply, check everything (the first guard's approach);
 *   - incremental: apply to a standing shadow copy and check only what the update touched
 *     (what collab/extensions/schema-guard.ts does).
 * Prints a table; asserts nothing.   node bench/schema-guard.ts
 */
import * as Y from 'yjs';
import { IncrementalSchemaCheck, schemaViolation, sectionToYUpdate, SECTION_FIELD } from '../collab/schema/index.ts';
import { buildSection, DEMO_UNITS } from '../server/seed/demo-content.ts';

const KEYSTROKES = 200;
/** The full copy costs the whole document per keystroke: a sample of the keystrokes is enough. */
const FULL_COPY_SAMPLE = 20;

function sectionOfSize(copies: number): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, sectionToYUpdate(buildSection(DEMO_UNITS[2].sections[0])));
	const table = doc.getXmlFragment(SECTION_FIELD).toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'riskTable') as Y.XmlElement;
	const rows = table.toArray() as Y.XmlElement[];
	for (let i = 1; i < copies; i++) table.push(rows.map((r) => r.clone()));
	return doc;
}

/** KEYSTROKES single-character updates typed into one risk cell by a client. */
function keystrokes(doc: Y.Doc): Uint8Array[] {
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
	const table = client.getXmlFragment(SECTION_FIELD).toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'riskTable') as Y.XmlElement;
	const text = ((table.get(0) as Y.XmlElement).get(2) as Y.XmlElement).get(0) as Y.XmlText;
	const out: Uint8Array[] = [];
	client.on('update', (u: Uint8Array) => out.push(u));
	for (let i = 0; i < KEYSTROKES; i++) text.insert(i, '字');
	return out;
}

function copyOf(doc: Y.Doc) {
	const d = new Y.Doc();
	Y.applyUpdate(d, Y.encodeStateAsUpdate(doc));
	return d;
}

/** Median microseconds of `step(update)` over all updates, applied in order. */
function perUpdate(updates: Uint8Array[], step: (u: Uint8Array) => void): number {
	const times = updates.map((u) => {
		const t = performance.now();
		step(u);
		return (performance.now() - t) * 1000;
	});
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)];
}

const rows: string[] = [];
for (const copies of [1, 5, 20, 60, 400]) {
	const source = sectionOfSize(copies);
	const updates = keystrokes(source);
	const kib = (Y.encodeStateAsUpdate(source).length / 1024).toFixed(1);

	const plain = copyOf(source);
	const baseline = perUpdate(updates, (u) => Y.applyUpdate(plain, u));

	const real = copyOf(source);
	const fullCopy = perUpdate(updates.slice(0, FULL_COPY_SAMPLE), (u) => {
		const candidate = copyOf(real);
		Y.applyUpdate(candidate, u);
		if (schemaViolation(candidate)) throw new Error('unexpected violation');
		candidate.destroy();
		Y.applyUpdate(real, u);
	});
	// The incremental check needs every keystroke in order (each builds on the last).

	const shadow = copyOf(source);
	const check = new IncrementalSchemaCheck(shadow);
	const incremental = perUpdate(updates, (u) => {
		if (check.apply(u)) throw new Error('unexpected violation');
	});
	check.destroy();

	rows.push(`| ${copies * 5} risk rows | ${kib} | ${baseline.toFixed(0)} | ${fullCopy.toFixed(0)} | ${incremental.toFixed(0)} | ${(fullCopy / incremental).toFixed(1)}× |`);
}

console.log(`\nSchema check per incoming keystroke (median of ${KEYSTROKES}; full copy: of the first ${FULL_COPY_SAMPLE}; microseconds)\n`);
console.log('| section | doc KiB | no check (baseline) | full copy + full check | incremental (shipped) | speed-up |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
console.log('');
