import { flattenExtensions, type AnyExtension, type Mark, type Node } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { z } from 'zod';
import { checkedAttr } from './attrs.ts';

/**
 * The free-text part of the schema: StarterKit's paragraphs, headings, lists, quotes, code and
 * marks, with a zod schema for every attribute that carries a value.
 */

export const HeadingLevel = z.number().int().min(1).max(6);
export const CodeLanguage = z.string().regex(/^[A-Za-z0-9#+._-]{1,40}$/).nullable();
export const ListStart = z.number().int().min(0).max(1_000_000);
export const ListStyle = z.enum(['1', 'a', 'A', 'i', 'I']).nullable();

const SAFE_PROTOCOLS = ['http:', 'https:', 'mailto:'];
/** Where a link may point: web pages and mail addresses, nothing a browser would run. */
export const SafeHref = z
	.string()
	.max(2048)
	.refine((href) => {
		try {
			return SAFE_PROTOCOLS.includes(new URL(href).protocol);
		} catch {
			return false;
		}
	});
const LinkTarget = z.enum(['_blank', '_self']).nullable();
const LinkText = z.string().max(200).nullable();

const asNode = (ext: AnyExtension) => ext as Node;
const asMark = (ext: AnyExtension) => ext as Mark;
type Attrs = Record<string, { default: unknown }>;

const checked: Record<string, (ext: AnyExtension) => AnyExtension> = {
	heading: (ext) =>
		asNode(ext).extend({
			addAttributes() {
				const p = (this.parent?.() ?? {}) as Attrs;
				return { ...p, level: checkedAttr('heading', 'level', HeadingLevel, p.level) };
			}
		}),
	codeBlock: (ext) =>
		asNode(ext).extend({
			addAttributes() {
				const p = (this.parent?.() ?? {}) as Attrs;
				return { ...p, language: checkedAttr('codeBlock', 'language', CodeLanguage, p.language) };
			}
		}),
	orderedList: (ext) =>
		asNode(ext).extend({
			addAttributes() {
				const p = (this.parent?.() ?? {}) as Attrs;
				return { ...p, start: checkedAttr('orderedList', 'start', ListStart, p.start), type: checkedAttr('orderedList', 'type', ListStyle, p.type) };
			}
		}),
	link: (ext) =>
		asMark(ext).extend({
			addAttributes() {
				const p = (this.parent?.() ?? {}) as Attrs;
				return {
					...p,
					href: checkedAttr('link', 'href', SafeHref.nullable(), p.href),
					target: checkedAttr('link', 'target', LinkTarget, p.target),
					rel: checkedAttr('link', 'rel', LinkText, p.rel),
					class: checkedAttr('link', 'class', LinkText, p.class),
					title: checkedAttr('link', 'title', LinkText, p.title)
				};
			}
		})
};

const kit = StarterKit.configure({
	// Collaboration brings its own undo that only undoes the local user's edits.
	undoRedo: false,
	// Paste, autolink and setLink all ask this, so the editor never makes a link the guard refuses.
	link: { openOnClick: false, isAllowedUri: (url) => SafeHref.safeParse(url).success }
});

// StarterKit's own parts; parts of parts (keymaps) stay with the part that adds them.
const parts = flattenExtensions([kit]).filter((ext) => ext !== kit);
const nested = new Set(parts.flatMap((ext) => flattenExtensions([ext]).slice(1).map((e) => e.name)));

/** StarterKit's parts, one by one, with checked attributes where they carry values. */
export const textExtensions: AnyExtension[] = parts.filter((ext) => !nested.has(ext.name)).map((ext) => checked[ext.name]?.(ext) ?? ext);
