import type { PageServerLoad } from './$types';
import { loadEditionBook } from '#lib/server/editions.ts';

export const load: PageServerLoad = async (event) => loadEditionBook(event, event.params.id);
