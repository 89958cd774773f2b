import { invalidate, invalidateAll } from '$app/navigation';
import { z } from 'zod';
import { INBOX_DEPENDENCY, manualDependency, sectionDependency } from './dependencies.ts';

/**
 * The tab's one live channel (GET /api/events, server-sent events). A signal carries no content,
 * only what changed; the pages that loaded it load it again (SvelteKit `invalidate`), and
 * components that fetch on their own (timeline, grades) subscribe with `onSignal`.
 */
const Signal = z.discriminatedUnion('type', [
	z.object({ type: z.literal('inbox') }),
	z.object({ type: z.literal('manual'), manualId: z.string() }),
	z.object({ type: z.literal('section'), sectionId: z.string() })
]);
export type Signal = z.infer<typeof Signal>;

const listeners = new Set<(signal: Signal) => void>();
let source: EventSource | null = null;
let users = 0;

/** Several signals in a burst (a phase change notifies everyone at once) reload each thing once. */
const pending = new Set<string>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;
function reload(dependency: string) {
	pending.add(dependency);
	flushTimer ??= setTimeout(() => {
		flushTimer = null;
		const deps = [...pending];
		pending.clear();
		for (const d of deps) void invalidate(d).catch(() => {});
	}, 100);
}

function dependencyOf(signal: Signal): string {
	if (signal.type === 'inbox') return INBOX_DEPENDENCY;
	if (signal.type === 'manual') return manualDependency(signal.manualId);
	return sectionDependency(signal.sectionId);
}

function receive(type: Signal['type'], raw: string) {
	let data: unknown = { type };
	try {
		data = JSON.parse(raw);
	} catch {
		/* a signal without data still names its type */
	}
	const parsed = Signal.safeParse(data);
	if (!parsed.success) return;
	reload(dependencyOf(parsed.data));
	for (const fn of listeners) fn(parsed.data);
}

/** Opens the channel (once per tab, however many callers); returns the function that releases it. */
export function startLive(): () => void {
	users++;
	if (!source) {
		const es = new EventSource('/api/events');
		let opened = false;
		es.addEventListener('open', () => {
			// Signals sent while the stream was down are lost: reload everything once it is back.
			if (opened) void invalidateAll();
			opened = true;
		});
		for (const type of ['inbox', 'manual', 'section'] as const) es.addEventListener(type, (e) => receive(type, (e as MessageEvent).data));
		source = es;
	}
	return () => {
		if (--users > 0) return;
		source?.close();
		source = null;
	};
}

/** Calls `fn` for every signal while subscribed. */
export function onSignal(fn: (signal: Signal) => void): () => void {
	listeners.add(fn);
	return () => listeners.delete(fn);
}
