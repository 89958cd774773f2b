import type { Db } from '../db/connect.ts';
import type { EditionSnapshot } from './snapshot.ts';
import { sha256Hex } from './canonical.ts';
import { notFound } from '../errors.ts';

/** Reading editions back exactly as stored. */

export async function editionById(db: Db, id: string) {
	const e = await db.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirst();
	if (!e) throw notFound('版本不存在。');
	return e;
}

export async function latestEdition(db: Db, manualId: string) {
	return db.selectFrom('editions').selectAll().where('manual_id', '=', manualId).orderBy('number', 'desc').executeTakeFirst();
}

export function parseSnapshot(text: string): EditionSnapshot {
	return JSON.parse(text) as EditionSnapshot;
}

/**
 * Recomputes the hash from the stored bytes, and checks the chain: the snapshot names the
 * previous edition's hash, which must be what that edition holds.
 */
export async function verifyEdition(db: Db, id: string): Promise<{ ok: boolean; hash: string; problems: string[] }> {
	const e = await editionById(db, id);
	const hash = sha256Hex(e.snapshot);
	const problems: string[] = [];
	if (hash !== e.hash) problems.push('内容与发布时的哈希值不一致。');
	let snapshot: EditionSnapshot | null = null;
	try {
		snapshot = parseSnapshot(e.snapshot);
	} catch {
		problems.push('版本内容无法解析。');
	}
	if (snapshot) {
		if (snapshot.number !== e.number) problems.push('版本号与内容不一致。');
		const prev = await db.selectFrom('editions').select('hash').where('manual_id', '=', e.manual_id).where('number', '=', e.number - 1).executeTakeFirst();
		if ((prev?.hash ?? null) !== snapshot.prevHash || (e.prev_hash ?? null) !== snapshot.prevHash) problems.push('与上一版本的哈希链不一致。');
	}
	return { ok: problems.length === 0, hash, problems };
}

/** A section's text and flowcharts as its last published edition holds them. */
export async function editionContent(db: Db, section: { id: string; edition_id: string | null }) {
	if (!section.edition_id) throw notFound('该章节尚未发布。');
	const e = await editionById(db, section.edition_id);
	const found = parseSnapshot(e.snapshot).units.flatMap((u) => u.sections).find((s) => s.id === section.id);
	if (!found) throw notFound('该章节尚未发布。');
	return { content: found.content, flowcharts: found.flowcharts };
}
