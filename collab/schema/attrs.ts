import { z } from 'zod';
import { MAX_ID_LENGTH } from './limits.ts';

// Building a z.object makes zod probe `new Function` once, which the pages' Content-Security-
// Policy reports as a violation (script-src eval). Every schema module imports this one before
// it builds its objects; in the browser, zod runs without that probe.
if (typeof window !== 'undefined') z.config({ jitless: true });

type AttrSpec = {
	default: unknown;
	parseHTML?: (el: HTMLElement) => unknown;
	renderHTML?: (attrs: Record<string, unknown>) => Record<string, unknown> | null;
	keepOnSplit?: boolean;
	rendered?: boolean;
};

/**
 * A node or mark attribute whose values a zod schema decides. ProseMirror runs `validate` whenever
 * a node or mark is created from given values or checked, so the editor cannot make, the schema
 * guard cannot accept and readers never get anything else; HTML parsing (paste) falls back to
 * the default instead of failing. The schema must accept the default.
 */
export function checkedAttr(owner: string, name: string, schema: z.ZodType, spec: AttrSpec) {
	const fits = (v: unknown) => schema.safeParse(v).success;
	const parse = spec.parseHTML ?? ((el: HTMLElement) => el.getAttribute(name));
	return {
		...spec,
		parseHTML: (el: HTMLElement) => {
			const v = parse(el);
			return v !== null && v !== undefined && fits(v) ? v : spec.default;
		},
		validate: (value: unknown) => {
			if (!fits(value)) throw new RangeError(`invalid ${owner}.${name}: ${preview(value)}`);
		}
	};
}

/** Ids the app makes (`newId`, `newRowId`): letters, digits, `-` and `_`. */
export const BlockId = z.string().regex(new RegExp(`^[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}$`));

/** A short, safe rendering of a refused value for a log line. */
export function preview(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
	if (typeof value === 'object' && value !== null) return `[${value.constructor?.name ?? 'object'}]`;
	return String(value);
}
