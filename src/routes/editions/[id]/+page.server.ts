import type { PageServerLoad } from './$types';
import { loadEditionBook } from '#lib/server/editions.ts';

export const load: PageServerLoad = async (event) => {
	const book = await loadEditionBook(event, event.params.id);
	const others = await event.locals.services.db
		.selectFrom('editions')
		.select(['id', 'number'])
		.where('manual_id', '=', book.edition.manualId)
		.orderBy('number')
		.execute();
	return { ...book, others: others.map((o) => ({ id: o.id, number: Number(o.number) })) };
};
