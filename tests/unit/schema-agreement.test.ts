import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IncrementalSchemaCheck, schemaViolation } from '../../collab/schema/index.ts';
import { baseSection, clientOf, mutate, seeded } from '../helpers/section-mutations.ts';

const CASES = 3000;
const SEED = Number(process.env.SCHEMA_SEED ?? 20240611);

const copyOf = (doc: Y.Doc) => {
	const d = new Y.Doc();
	Y.applyUpdate(d, Y.encodeStateAsUpdate(doc));
	return d;
};

/**
 * The collaboration server decides on every update with the incremental check (what the update
 * touched); loading, repair and readers rely on the full check (the whole document). If the two
 * ever disagree, an editor can store what a later load finds broken. Random real edits — honest
 * and hostile, alone or two at once — on real sections, with a standing shadow as the server
 * keeps it: both checks must give the same verdict on every one.
 */
describe('incremental and full schema checks agree', () => {
	it(`on ${CASES} random edits of demo and template sections (seed ${SEED})`, () => {
		const r = seeded(SEED);
		let server!: Y.Doc;
		let shadow!: Y.Doc;
		let check!: IncrementalSchemaCheck;
		const restartShadow = () => {
			check?.destroy();
			shadow = copyOf(server);
			check = new IncrementalSchemaCheck(shadow);
		};
		const disagreements: string[] = [];
		const verdicts = { valid: 0, invalid: 0 };
		for (let i = 0; i < CASES; i++) {
			if (i % 50 === 0) {
				server = baseSection(r);
				restartShadow();
			}
			const sv = Y.encodeStateVector(server);
			const a = clientOf(server, r);
			const ops = mutate(a, r, 1 + r.int(2));
			let update = Y.encodeStateAsUpdate(a, sv);
			if (r.chance(0.3)) {
				// Two clients edit the same state; the server gets both at once.
				const b = clientOf(server, r);
				ops.push('‖', ...mutate(b, r, 1 + r.int(2)));
				update = Y.mergeUpdates([update, Y.encodeStateAsUpdate(b, sv)]);
			}
			const full = copyOf(server);
			Y.applyUpdate(full, update);
			const fullProblem = schemaViolation(full);
			const incrementalProblem = check.apply(update);
			if ((fullProblem === null) !== (incrementalProblem === null))
				disagreements.push(`case ${i} [${ops.join(', ')}]: full says ${fullProblem ?? 'valid'}; incremental says ${incrementalProblem ?? 'valid'}`);
			if (fullProblem === null) {
				verdicts.valid++;
				Y.applyUpdate(server, update);
			} else verdicts.invalid++;
			// As the guard does: a refused update leaves the shadow, which starts again from the real document.
			if (incrementalProblem !== null || fullProblem !== null) restartShadow();
		}
		expect(disagreements.slice(0, 10), `${disagreements.length} disagreements`).toEqual([]);
		// Both kinds of change were tried, in earnest numbers.
		expect(verdicts.valid).toBeGreaterThan(CASES / 5);
		expect(verdicts.invalid).toBeGreaterThan(CASES / 5);
	});
});
