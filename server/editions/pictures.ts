import type { Db } from '../db/connect.ts';
import type { EditionSnapshot } from './snapshot.ts';
import { flowchartPngs, type PictureStore } from '../export/flowchart-image.ts';
import { FLOWCHART_BOX } from '../export/docx-content.ts';
import { riskRowsOf, flowchartIdsOf } from '../../collab/schema/extract.ts';
import { renderFlowchartSvg, riskLevelsByStep } from '../../collab/schema/flowchart-svg.ts';
import { errorFields, log } from '../log.ts';

/**
 * An edition's flowchart pictures, kept in the database: drawn once, in the background, right after
 * the edition is published (an edition never changes), so a Word download only lays out text.
 */
export function pictureStore(db: Db): PictureStore {
	return {
		async get(key) {
			const row = await db.selectFrom('edition_pictures').selectAll().where('key', '=', key).executeTakeFirst();
			if (!row) return null;
			return { png: Buffer.from(row.png), width: row.width, height: row.height, displayWidth: Number(row.display_width), displayHeight: Number(row.display_height) };
		},
		async put(key, image) {
			await db
				.insertInto('edition_pictures')
				.values({ key, png: image.png, width: image.width, height: image.height, display_width: image.displayWidth, display_height: image.displayHeight, created_at: Date.now() })
				.onConflict((oc) => oc.column('key').doNothing())
				.execute();
		}
	};
}

/** The SVG of every flowchart of an edition, as the Word book draws them. */
export function editionSvgs(snapshot: EditionSnapshot): string[] {
	return snapshot.units.flatMap((u) =>
		u.sections.flatMap((s) => {
			const levels = riskLevelsByStep(riskRowsOf(s.content));
			return [...new Set(flowchartIdsOf(s.content))].filter((id) => s.flowcharts?.[id]).map((id) => renderFlowchartSvg(s.flowcharts[id], levels));
		})
	);
}

/** Draws and keeps an edition's pictures; failures are logged (the export draws what is missing). */
export function drawEditionPictures(db: Db, snapshot: EditionSnapshot): Promise<void> {
	const started = Date.now();
	return flowchartPngs(editionSvgs(snapshot), { box: FLOWCHART_BOX, store: pictureStore(db) }).then(
		(pngs) => log.info('edition pictures drawn', { number: snapshot.number, pictures: pngs.length, ms: Date.now() - started }),
		(err) => log.warn('edition pictures not drawn', errorFields(err))
	);
}
