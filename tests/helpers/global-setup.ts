import path from 'node:path';
import { ensureBuilt } from '../../server/build-check.ts';

/** Builds the web app once, so every test server starts from the same fresh build. */
export default async function setup() {
	await ensureBuilt(path.resolve(import.meta.dirname, '../..'));
}
