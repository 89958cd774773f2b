import { mergeAttributes, Node } from '@tiptap/core';
import { z } from 'zod';
import { BlockId, checkedAttr } from './attrs.ts';

/**
 * 职权目录条目 — the power-item card. Each field is its own inline-content node, so two people
 * typing in the same field merge character by character. 法律依据 is a list of (law, article).
 */
export const POWER_FIELDS = [
	{ key: 'name', label: '职权名称', required: true },
	{ key: 'code', label: '职权编码', required: true },
	{ key: 'content', label: '职权内容', required: true },
	{ key: 'subject', label: '行使主体', required: true },
	{ key: 'limit', label: '办理时限', required: true }
] as const;
export type PowerFieldKey = (typeof POWER_FIELDS)[number]['key'];
export const BASIS_LABEL = '法律依据';
export const PowerField = z.enum(POWER_FIELDS.map(({ key }) => key) as [PowerFieldKey, ...PowerFieldKey[]]);
/** The card holds exactly these parts, in this order (the content expression fixes only their types). */
export const CARD_PARTS = [
	...POWER_FIELDS.slice(0, 4).map(({ key }) => ({ node: 'powerItemField', field: key })),
	{ node: 'legalBasis' },
	{ node: 'powerItemField', field: POWER_FIELDS[4].key }
];

const fieldLabel = (key: string) => POWER_FIELDS.find((f) => f.key === key)?.label ?? key;

export const PowerItem = Node.create({
	name: 'powerItem',
	group: 'block',
	// Field order is the card's order; legal basis sits between 行使主体 and 办理时限.
	content: 'powerItemField{4} legalBasis powerItemField',
	defining: true,
	isolating: true,
	addAttributes() {
		return { id: checkedAttr('powerItem', 'id', BlockId.nullable(), { default: null }) };
	},
	parseHTML() {
		return [{ tag: 'section[data-type="power-item"]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['section', mergeAttributes(HTMLAttributes, { 'data-type': 'power-item', class: 'power-item' }), 0];
	}
});

export const PowerItemField = Node.create({
	name: 'powerItemField',
	content: 'text*',
	marks: '',
	defining: true,
	isolating: true,
	addAttributes() {
		return {
			field: checkedAttr('powerItemField', 'field', PowerField, {
				default: 'name',
				parseHTML: (el) => el.getAttribute('data-field'),
				renderHTML: (attrs) => ({ 'data-field': attrs.field })
			})
		};
	},
	parseHTML() {
		return [{ tag: 'div[data-type="power-item-field"]', contentElement: '.pi-value' }];
	},
	renderHTML({ node, HTMLAttributes }) {
		return [
			'div',
			mergeAttributes(HTMLAttributes, { 'data-type': 'power-item-field', class: 'pi-field' }),
			['span', { class: 'pi-label', contenteditable: 'false' }, fieldLabel(node.attrs.field)],
			['div', { class: 'pi-value' }, 0]
		];
	}
});

export const LegalBasis = Node.create({
	name: 'legalBasis',
	// Empty is allowed for the same reason as an empty risk table; the self-review asks for a basis.
	content: 'legalBasisItem*',
	isolating: true,
	parseHTML() {
		return [{ tag: 'div[data-type="legal-basis"]', contentElement: 'ol' }];
	},
	renderHTML({ HTMLAttributes }) {
		return [
			'div',
			mergeAttributes(HTMLAttributes, { 'data-type': 'legal-basis', class: 'pi-field pi-basis' }),
			['span', { class: 'pi-label', contenteditable: 'false' }, BASIS_LABEL],
			['ol', { class: 'pi-value' }, 0]
		];
	}
});

export const LegalBasisItem = Node.create({
	name: 'legalBasisItem',
	content: 'basisLaw basisArticle',
	isolating: true,
	parseHTML() {
		return [{ tag: 'li[data-type="legal-basis-item"]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['li', mergeAttributes(HTMLAttributes, { 'data-type': 'legal-basis-item' }), 0];
	}
});

export const BasisLaw = Node.create({
	name: 'basisLaw',
	content: 'text*',
	marks: '',
	isolating: true,
	parseHTML() {
		return [{ tag: 'span[data-type="basis-law"]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['span', mergeAttributes(HTMLAttributes, { 'data-type': 'basis-law', class: 'basis-law', 'data-placeholder': '法律法规名称' }), 0];
	}
});

export const BasisArticle = Node.create({
	name: 'basisArticle',
	content: 'text*',
	marks: '',
	isolating: true,
	parseHTML() {
		return [{ tag: 'span[data-type="basis-article"]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['span', mergeAttributes(HTMLAttributes, { 'data-type': 'basis-article', class: 'basis-article', 'data-placeholder': '条款' }), 0];
	}
});

export const powerItemExtensions = [PowerItem, PowerItemField, LegalBasis, LegalBasisItem, BasisLaw, BasisArticle];
