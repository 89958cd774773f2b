import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { editorSchema, SECTION_FIELD } from '../../collab/schema/index.ts';
import { FLOWCHARTS_MAP } from '../../collab/schema/flowchart.ts';
import { random } from './flowchart-data.ts';
import { frames } from './wire.ts';

/** A seeded source of choices, so a failing run can be replayed from its seed. */
export class Dice {
	readonly next: () => number;
	constructor(seed: number) {
		this.next = random(seed);
	}
	int(n: number) {
		return Math.floor(this.next() * n);
	}
	chance(p: number) {
		return this.next() < p;
	}
	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)];
	}
	bytes(n: number): Uint8Array<ArrayBuffer> {
		const out = new Uint8Array(n);
		for (let i = 0; i < n; i++) out[i] = this.int(256);
		return out;
	}
	text(max: number): string {
		const alphabet = ['a', '字', '风', '险', ' ', '\n', '<', '>', '"', '\\', '\u0000', '😀', '\ud800'];
		return Array.from({ length: this.int(max) }, () => this.pick(alphabet)).join('');
	}
	/** Any JSON-ish value, nested a little. */
	value(depth = 0): unknown {
		switch (this.int(depth > 2 ? 5 : 7)) {
			case 0: return null;
			case 1: return this.int(1 << 30) - (1 << 29);
			case 2: return this.text(20);
			case 3: return this.chance(0.5);
			case 4: return this.pick([NaN, Infinity, -0, 1e308, 2 ** 53 + 1]);
			case 5: return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
			default: return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.text(6), this.value(depth + 1)]));
		}
	}
}

const NODE_NAMES = [...Object.keys(editorSchema().nodes), 'script', 'img', 'iframe', '', 'x'.repeat(300)];

/**
 * Frames for `/collab` as a hostile or broken client could send them: random bytes, well-formed
 * messages of every type with random bodies, Yjs updates made by random edits of the document
 * (many of them breaking the schema), and each of those truncated or with bytes flipped, now and
 * then a huge one, or one addressed to another document.
 */
export class FrameGenerator {
	private dice: Dice;
	private docs: string[];
	/** The server's copy of the document as last synced: random edits start from it. */
	base: Uint8Array | null = null;

	constructor(dice: Dice, docs: string[]) {
		this.dice = dice;
		this.docs = docs;
	}

	/** The next frame for a socket speaking about `doc` (`token`: a real one, or null before sign-in). */
	next(doc: string, token: string | null): Uint8Array<ArrayBuffer> {
		const d = this.dice;
		const roll = d.next();
		if (roll < 0.1) return d.bytes(d.int(d.chance(0.9) ? 64 : 4096));
		const valid = this.valid(d.chance(0.05) ? d.pick(this.docs) : doc, token);
		if (roll < 0.3) return valid.slice(0, d.int(valid.length + 1));
		if (roll < 0.5) {
			const copy = valid.slice();
			for (let i = d.int(8) + 1; i > 0 && copy.length > 0; i--) copy[d.int(copy.length)] = d.int(256);
			return copy;
		}
		return valid;
	}

	/** A frame of `bytes` length or more: random bytes behind a well-formed header. */
	huge(doc: string, bytes: number): Uint8Array<ArrayBuffer> {
		const body = new Uint8Array(bytes);
		for (let i = 0; i < bytes; i += 4096) body[i] = this.dice.int(256);
		return this.dice.chance(0.5) ? frames.update(doc, body) : frames.awareness(doc, body);
	}

	private valid(doc: string, token: string | null): Uint8Array<ArrayBuffer> {
		const d = this.dice;
		switch (d.int(10)) {
			case 0: return frames.auth(doc, token && d.chance(0.7) ? token : d.text(40));
			case 1: return frames.syncStep1(doc, d.chance(0.5) ? new Uint8Array([0]) : d.bytes(d.int(20)));
			case 2: return frames.syncStep2(doc, this.update());
			case 3:
			case 4:
			case 5: return frames.update(doc, this.update());
			case 6: return frames.awareness(doc, this.awareness());
			case 7: return frames.queryAwareness(doc);
			case 8: return d.chance(0.5) ? frames.stateless(doc, d.text(100)) : frames.close(doc);
			default: {
				const f = frames.stateless(doc, d.text(10));
				f[doc.length + 1] = 9 + d.int(120); // a type nobody defined (one-byte name length assumed; else it is just mutated)
				return f;
			}
		}
	}

	/** An awareness update as y-protocols writes it, with any client id, clock and state text. */
	private awareness(): Uint8Array {
		const d = this.dice;
		const e = encoding.createEncoder();
		const n = d.chance(0.9) ? 1 : d.int(6);
		encoding.writeVarUint(e, n);
		for (let i = 0; i < n; i++) {
			encoding.writeVarUint(e, d.chance(0.3) ? d.int(4) : d.int(2 ** 31));
			encoding.writeVarUint(e, d.int(1000));
			const state = d.chance(0.2) ? { user: d.value(), cursor: d.value(), flowchart: d.value(), pad: 'x'.repeat(d.int(10_000)) } : d.value();
			encoding.writeVarString(e, d.chance(0.9) ? JSON.stringify(state) ?? 'null' : d.text(30));
		}
		return encoding.toUint8Array(e);
	}

	/** A Yjs update from a few random edits of the document as last synced. */
	private update(): Uint8Array {
		const d = this.dice;
		const doc = new Y.Doc();
		if (this.base) Y.applyUpdate(doc, this.base);
		let out: Uint8Array = new Uint8Array([0, 0]);
		doc.on('update', (u: Uint8Array) => (out = u));
		doc.transact(() => {
			for (let i = d.int(4) + 1; i > 0; i--) this.edit(doc);
		});
		doc.destroy();
		return out;
	}

	private edit(doc: Y.Doc) {
		const d = this.dice;
		const elements = collect(doc.getXmlFragment(SECTION_FIELD));
		const target = d.pick(elements);
		try {
			switch (d.int(8)) {
				case 0: {
					const texts = elements.flatMap((e) => e.toArray().filter((c): c is Y.XmlText => c instanceof Y.XmlText));
					if (texts.length) {
						const t = d.pick(texts);
						t.insert(d.int(t.length + 1), d.text(30), d.chance(0.2) ? { [d.pick(['bold', 'link', 'evil'])]: d.value() } : undefined);
					}
					break;
				}
				case 1:
					if (target.length > 0) {
						const at = d.int(target.length);
						target.delete(at, Math.min(target.length - at, d.int(3) + 1));
					}
					break;
				case 2: {
					const el = new Y.XmlElement(d.pick(NODE_NAMES));
					if (d.chance(0.5)) el.insert(0, [new Y.XmlText(d.text(10))]);
					target.insert(d.int(target.length + 1), [el]);
					break;
				}
				case 3:
					if (target instanceof Y.XmlElement) target.setAttribute(d.pick(['id', 'level', 'category', 'stepId', 'deadline', 'field', 'level"']), d.value() as string);
					break;
				case 4: {
					const charts = doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP);
					const chart = [...charts.values()][0];
					const nodes = chart?.get('nodes');
					if (nodes instanceof Y.Map && nodes.size > 0) {
						const step = d.pick([...nodes.values()]) as Y.Map<unknown>;
						if (step instanceof Y.Map) step.set(d.pick(['label', 'x', 'y', 'kind', 'limitDays', 'risk', 'post', 'evil']), d.value());
					}
					break;
				}
				case 5: {
					const charts = doc.getMap<unknown>(FLOWCHARTS_MAP);
					if (d.chance(0.5)) charts.set(d.text(8), d.value());
					else if (charts.size) charts.delete(d.pick([...charts.keys()]));
					break;
				}
				case 6:
					doc.getMap(d.pick(['evil', FLOWCHARTS_MAP, 'default'])).set(d.text(5), d.value());
					break;
				default:
					doc.getText(d.pick(['default', 'x'])).insert(0, d.text(10));
			}
		} catch {
			/* Yjs refused the edit itself (e.g. a type used as two kinds of root): none made */
		}
	}
}

function collect(root: Y.XmlFragment): (Y.XmlFragment | Y.XmlElement)[] {
	const out: (Y.XmlFragment | Y.XmlElement)[] = [root];
	for (let i = 0; i < out.length; i++) for (const c of out[i].toArray()) if (c instanceof Y.XmlElement) out.push(c);
	return out;
}
