/**
 * Places thread cards beside the text, Google Docs style: each card as near its anchor's height
 * as the cards above allow, never overlapping; the active card sits exactly beside its anchor and
 * the cards before it move up to make room.
 */

export type LayoutItem = { id: string; /** anchor's top, null when it has none (detached) */ target: number | null; height: number };

export function stackCards(items: LayoutItem[], activeId: string | null, gap = 8): Map<string, number> {
	const tops: number[] = [];
	let bottom = -gap;
	for (const it of items) {
		const top = Math.max(it.target ?? -Infinity, bottom + gap, 0);
		tops.push(top);
		bottom = top + it.height;
	}
	const a = items.findIndex((it) => it.id === activeId);
	const wanted = a >= 0 ? items[a].target : null;
	if (a >= 0 && wanted !== null && tops[a] > wanted) {
		// Tightest the cards above can be stacked from the top of the column.
		let above = 0;
		for (let i = 0; i < a; i++) above += items[i].height + gap;
		tops[a] = Math.max(wanted, above);
		for (let i = a - 1; i >= 0; i--) tops[i] = Math.min(tops[i], tops[i + 1] - gap - items[i].height);
		for (let i = a + 1; i < items.length; i++) tops[i] = Math.max(items[i].target ?? -Infinity, tops[i - 1] + items[i - 1].height + gap);
	}
	return new Map(items.map((it, i) => [it.id, tops[i]]));
}
