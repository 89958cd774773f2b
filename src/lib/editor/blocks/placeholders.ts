import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { POWER_FIELDS } from '#collab/schema/power-item.ts';
import { RISK_CELLS } from '#collab/schema/risk-table.ts';
import { m } from '#lib/paraglide/messages.js';

const REQUIRED = new Set<string>(POWER_FIELDS.filter((f) => f.required).map((f) => f.key));
const CELL_LABEL = new Map<string, string>(RISK_CELLS.map((c) => [c.key, c.label]));

function placeholderOf(type: string, field: string | undefined): string | null {
	if (type === 'powerItemField') return REQUIRED.has(field ?? '') ? m.pi_required() : '';
	// The risk table's hints are its printed column labels (Chinese, from the schema).
	if (type === 'riskCell') return CELL_LABEL.get(field ?? '') ?? '';
	if (type === 'basisLaw') return m.pi_basis_law();
	if (type === 'basisArticle') return m.pi_basis_article();
	return null;
}

/** A CSS string literal of `text`, for a custom property that `content:` reads. */
function cssString(text: string): string {
	return `"${text.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\a ' : `\\${c}`))}"`;
}

/**
 * Marks empty fields of the card and the risk table: a grey hint shows what goes there, and an
 * empty required field of the card is flagged (class `is-missing`). The flag's text goes in the
 * custom property `--missing-text`, which the field's inner `.pi-value::before` inherits
 * (`attr()` there would read the inner element, not the decorated field).
 */
export const EmptyFieldHints = Extension.create({
	name: 'emptyFieldHints',
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key: new PluginKey('emptyFieldHints'),
				props: {
					decorations(state) {
						const decos: Decoration[] = [];
						state.doc.descendants((node, pos) => {
							const hint = placeholderOf(node.type.name, node.attrs.field);
							if (hint === null) return true;
							if (node.content.size === 0) {
								const missing = node.type.name === 'powerItemField' && REQUIRED.has(node.attrs.field);
								const attrs: Record<string, string> = { class: 'is-empty', 'data-placeholder': hint };
								if (missing) Object.assign(attrs, { class: 'is-empty is-missing', style: `--missing-text: ${cssString(m.pi_required_missing())}` });
								decos.push(Decoration.node(pos, pos + node.nodeSize, attrs));
							}
							return false;
						});
						return DecorationSet.create(state.doc, decos);
					}
				}
			})
		];
	}
});
