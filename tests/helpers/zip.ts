import { inflateRawSync } from 'node:zlib';

/** The files of a zip archive (DOCX, XLSX) by path: enough of the format to read what we write. */
export function unzip(data: Buffer): Map<string, Buffer> {
	// End of central directory: the last "PK\x05\x06" record.
	let eocd = data.length - 22;
	while (eocd >= 0 && data.readUInt32LE(eocd) !== 0x06054b50) eocd--;
	if (eocd < 0) throw new Error('not a zip file');
	const count = data.readUInt16LE(eocd + 10);
	let p = data.readUInt32LE(eocd + 16);
	const files = new Map<string, Buffer>();
	for (let i = 0; i < count; i++) {
		if (data.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
		const method = data.readUInt16LE(p + 10);
		const size = data.readUInt32LE(p + 20);
		const nameLen = data.readUInt16LE(p + 28);
		const extraLen = data.readUInt16LE(p + 30);
		const commentLen = data.readUInt16LE(p + 32);
		const local = data.readUInt32LE(p + 42);
		const name = data.toString('utf8', p + 46, p + 46 + nameLen);
		const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
		const raw = data.subarray(start, start + size);
		files.set(name, method === 0 ? Buffer.from(raw) : inflateRawSync(raw));
		p += 46 + nameLen + extraLen + commentLen;
	}
	return files;
}
