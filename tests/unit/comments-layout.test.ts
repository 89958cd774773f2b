import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import * as Y from 'yjs';
import { publishStepCounts, stepCommentCounts } from '../../src/lib/editor/comments/step-counts.ts';
import { stackCards } from '../../src/lib/editor/comments/layout.ts';
import { commentTime } from '../../src/lib/editor/comments/time.ts';

describe('thread cards beside the text', () => {
	const item = (id: string, target: number | null, height = 100) => ({ id, target, height });

	it('puts each card level with its anchor when there is room', () => {
		const tops = stackCards([item('a', 0), item('b', 300), item('c', 900)], null);
		expect([...tops.values()]).toEqual([0, 300, 900]);
	});

	it('never lets cards overlap: a card whose anchor is taken moves down', () => {
		const tops = stackCards([item('a', 50), item('b', 60), item('c', 70, 40)], null, 8);
		expect([...tops.values()]).toEqual([50, 158, 266]);
	});

	it('puts the active card exactly beside its anchor and moves the ones above up', () => {
		const tops = stackCards([item('a', 300), item('b', 320), item('c', 330), item('d', 340)], 'c', 10);
		expect(tops.get('c')).toBe(330);
		expect(tops.get('b')).toBe(220);
		expect(tops.get('a')).toBe(110);
		expect(tops.get('d')).toBe(440);
		// No room above: the active card goes as high as the cards above allow.
		const cramped = stackCards([item('a', 0), item('b', 10)], 'b', 10);
		expect(cramped.get('b')).toBe(110);
	});

	it('stacks a card without an anchor (its words are gone) under the previous one', () => {
		const tops = stackCards([item('a', 200), item('gone', null)], null, 8);
		expect(tops.get('gone')).toBe(308);
	});
});

describe('comment times in Chinese', () => {
	const now = new Date(2025, 4, 20, 15, 30).getTime();
	it('says 今天, 昨天, the date this year, and the year before that', () => {
		expect(commentTime(new Date(2025, 4, 20, 9, 5).getTime(), now)).toBe('今天 09:05');
		expect(commentTime(new Date(2025, 4, 19, 23, 59).getTime(), now)).toBe('昨天 23:59');
		expect(commentTime(new Date(2025, 0, 3, 8, 0).getTime(), now)).toBe('1月3日 08:00');
		expect(commentTime(new Date(2024, 11, 31, 18, 45).getTime(), now)).toBe('2024年12月31日 18:45');
	});
});

describe('open threads per flowchart step, for the flowchart to badge', () => {
	it('counts open, attached step threads of one document', () => {
		const doc = new Y.Doc();
		const thread = (stepId: string, resolved = false, detached = false) => ({ anchor: { type: 'step', flowchartId: 'f1', stepId }, resolved, detached });
		const seen: unknown[] = [];
		const stop = stepCommentCounts(doc).subscribe((v) => seen.push(v));
		publishStepCounts(doc, [thread('s1'), thread('s1'), thread('s2', true), thread('s3', false, true), { anchor: { type: 'row' }, resolved: false, detached: false }]);
		expect(seen.at(-1)).toEqual({ f1: { s1: 2 } });
		expect(get(stepCommentCounts(new Y.Doc()))).toEqual({});
		stop();
	});
});
