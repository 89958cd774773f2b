import { describe, expect, it } from 'vitest';
import { jsonWith } from '../../src/lib/server/api.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('jsonWith', () => {
	it('joins fields and the members of prepared JSON into one object, as JSON.stringify would', async () => {
		const content = { content: { type: 'doc', content: [{ type: 'paragraph', text: '风险点“甲”\n' }] }, flowcharts: {} };
		const r = jsonWith({ id: 's1', title: '受理' }, utf8(JSON.stringify(content)));
		expect(r.headers.get('content-type')).toBe('application/json');
		expect(await r.json()).toEqual({ id: 's1', title: '受理', ...content });
	});

	it('copes with an empty object on either side and with white space', async () => {
		expect(await jsonWith({ id: 's1' }, utf8('{ }')).json()).toEqual({ id: 's1' });
		expect(await jsonWith({}, utf8('{"a":1}')).json()).toEqual({ a: 1 });
		expect(await jsonWith({ id: 's1' }, utf8('{\n  "a": [1, 2]\n}')).json()).toEqual({ id: 's1', a: [1, 2] });
	});
});
