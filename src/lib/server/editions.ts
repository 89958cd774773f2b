import { error, type RequestEvent } from '@sveltejs/kit';
import { isAppError } from '#server/errors.ts';
import { policies } from '#server/policies/index.ts';
import { editionById, parseSnapshot, verifyEdition } from '#server/editions/read.ts';
import { presentEdition } from '#server/presenters/index.ts';
import { riskMapOf } from '#server/services/risk-map.ts';

/** What the edition pages (viewer, print) show: the frozen book, its maps, and whether it verifies. */
export async function loadEditionBook(event: RequestEvent, id: string) {
	const user = event.locals.user!;
	if (!policies.readEditions(user)) error(403, '您暂无权查看已发布的版本。');
	const { db } = event.locals.services;
	const row = await editionById(db, id).catch((err) => {
		if (isAppError(err) && err.status === 404) error(404, '版本不存在。');
		throw err;
	});
	const snapshot = parseSnapshot(row.snapshot);
	const edition = presentEdition(row, snapshot);
	const maps = Object.fromEntries(snapshot.units.map((u) => [u.id, u.sections.map((s) => riskMapOf(s))]));
	const verified = await verifyEdition(db, id);
	return { edition, units: snapshot.units.map((u) => ({ id: u.id, name: u.name, sections: u.sections })), maps, verified };
}
