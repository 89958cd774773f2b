import { api } from '#lib/server/api.ts';
import { download, exportSource } from '#lib/server/exports.ts';
import { renderXlsx } from '#server/export/xlsx.ts';

/** The edition's risk register as an Excel workbook. */
export const GET = api(async (event) => {
	const { snapshot, filename } = await exportSource(event, 'xlsx');
	return download(await renderXlsx(snapshot), filename, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
});
