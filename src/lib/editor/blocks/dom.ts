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

type Mutation = MutationRecord | { type: 'selection'; target: Node };

/**
 * Node views whose own controls live outside their editable content: ProseMirror handles only
 * what happens inside `contentDOM`; clicks, keys and DOM changes of the controls are theirs.
 */
export const contentOnly = {
	ignoreMutation: (contentDOM: HTMLElement, m: Mutation) => m.type !== 'selection' && !contentDOM.contains(m.target),
	stopEvent: (contentDOM: HTMLElement, e: Event) => !contentDOM.contains(e.target as Node)
};
