import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { POWER_FIELDS } from '#collab/schema/power-item.ts';
import { RISK_CELLS } from '#collab/schema/risk-table.ts';

const REQUIRED = new Set<string>(POWER_FIELDS.filter((f) => f.required).map((f) => f.key));
const CELL_LABEL = new Map<string, string>(RISK_CELLS.map((c) => [c.key, c.label]));

function placeholderOf(type: string, field: string | undefined): string | null {
	if (type === 'powerItemField') return REQUIRED.has(field ?? '') ? '必填' : '';
	if (type === 'riskCell') return CELL_LABEL.get(field ?? '') ?? '';
	if (type === 'basisLaw') return '法律法规名称';
	if (type === 'basisArticle') return '条款';
	return null;
}

/**
 * Marks empty fields of the card and the risk table: a grey hint shows what goes there, and an
 * empty required field of the card is flagged (class `is-missing`).
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
								decos.push(Decoration.node(pos, pos + node.nodeSize, { class: missing ? 'is-empty is-missing' : 'is-empty', 'data-placeholder': hint }));
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
