/** Tiny DOM builder for node views (they are plain DOM, owned by ProseMirror). */
export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Record<string, string | boolean | number | undefined> = {},
	...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(props)) {
		if (v === undefined || v === false) continue;
		if (k === 'class') el.className = String(v);
		else el.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children) el.append(c);
	return el;
}
