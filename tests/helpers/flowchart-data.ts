import type { FlowStep } from '../../collab/schema/flowchart.ts';

/** A flowchart step with every field at its default, for building charts in tests. */
export const step = (label: string, x: number, y: number, extra: Partial<FlowStep> = {}): FlowStep => ({
	label,
	x,
	y,
	kind: 'step',
	post: '',
	limitDays: null,
	risk: false,
	control: false,
	duty: '',
	...extra
});

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32), so generated cases repeat. */
export function random(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
