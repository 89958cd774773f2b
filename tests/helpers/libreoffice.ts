import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Real LibreOffice and poppler, for the export tests: what Word-compatible readers make of our
 * files. Missing tools fail the test with what to install (.ci/run installs them).
 */
function need(tool: string, pkg: string): string {
	for (const dir of ['/usr/bin', '/usr/local/bin', '/opt/libreoffice/program']) if (existsSync(join(dir, tool))) return join(dir, tool);
	throw new Error(`${tool} is missing: apt-get install ${pkg}`);
}

/** Converts a document to PDF in a fresh directory (with its own LibreOffice profile, so runs never share one) and returns the PDF's path. */
export function toPdf(name: string, data: Buffer): string {
	const soffice = need('soffice', 'libreoffice-writer');
	const dir = mkdtempSync(join(tmpdir(), 'fangkong-lo-'));
	const input = join(dir, name);
	writeFileSync(input, data);
	execFileSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, input], {
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 120_000
	});
	const pdf = join(dir, basename(name).replace(/\.[^.]+$/, '') + '.pdf');
	if (!existsSync(pdf)) throw new Error(`LibreOffice did not convert ${name}`);
	return pdf;
}

/** The text of each page (form feed separated by pdftotext), in reading order. */
export function pdfPages(pdf: string): string[] {
	const out = execFileSync(need('pdftotext', 'poppler-utils'), ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
	return out.split('\f').slice(0, -1);
}

/** Page sizes in points, e.g. [595, 842] for A4 portrait. */
export function pdfPageSizes(pdf: string): [number, number][] {
	const out = execFileSync(need('pdfinfo', 'poppler-utils'), ['-f', '1', '-l', '9999', pdf], { encoding: 'utf8' });
	return [...out.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
}

/** Renders pages to PNG files (for looking at them) and returns their paths. */
export function pdfToPngs(pdf: string, outPrefix: string, pages: number[], dpi = 60): string[] {
	const tool = need('pdftoppm', 'poppler-utils');
	return pages.map((p) => {
		execFileSync(tool, ['-png', '-r', String(dpi), '-f', String(p), '-l', String(p), '-singlefile', pdf, `${outPrefix}-${p}`]);
		return `${outPrefix}-${p}.png`;
	});
}
