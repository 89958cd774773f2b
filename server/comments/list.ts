import type { Services } from '../services.ts';
import type { Section } from '../db/schema.ts';
import { placeThreads, threadRows } from './threads.ts';
import { presentThread, type ThreadView } from '../presenters/index.ts';

/** A section's threads as they stand against the document now, in document order (section-wide notes first). */
export async function listComments(s: Services, section: Section): Promise<ThreadView[]> {
	const { threads, replies } = await threadRows(s.db, section.id);
	if (!threads.length) return [];
	const placed = await s.sections.withDoc(section, (doc) => placeThreads(doc, threads));
	const views = threads.map((t) => ({ view: presentThread(t, replies.filter((r) => r.threadId === t.id), placed.get(t.id)), pos: placed.get(t.id)?.position ?? 0, at: Number(t.createdAt) }));
	views.sort((a, b) => a.pos - b.pos || a.at - b.at);
	// Remember the last whole quote, so a thread whose text is deleted later still shows it.
	for (const t of threads) {
		const p = placed.get(t.id);
		if (p && !p.detached && p.anchor.type === 'text' && p.quote !== t.quote)
			await s.db.updateTable('comment_threads').set({ quote: p.quote }).where('id', '=', t.id).execute();
	}
	return views.map((v) => v.view);
}
