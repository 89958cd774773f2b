/**
 * Production entry (`npm start`): builds the web app when sources are newer than the build,
 * then serves SvelteKit and the collaboration server on one HTTP server and port.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build-check.ts';
import { loadConfig } from './config.ts';
import { getServices } from './services.ts';
import { attachCollab } from '../collab/attach.ts';
import { prepareRequest, refuseCrossSiteApiRequest } from './http/cross-site.ts';
import { applySecurityHeaders } from './http/security-headers.ts';
import { errorFields, log } from './log.ts';

const root = path.resolve(import.meta.dirname, '..');
await ensureBuilt(root);
const config = loadConfig();
const services = await getServices();
// adapter-node assumes https unless told; we serve plain HTTP, and a TLS proxy in front
// says so with X-Forwarded-Proto. Read when the handler module loads, so set it first.
process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
const { handler } = await import(pathToFileURL(path.join(root, 'build/handler.js')).href);

const server = http.createServer((req, res) => {
	prepareRequest(req);
	applySecurityHeaders(req, res);
	if (refuseCrossSiteApiRequest(req, res)) return;
	handler(req, res, () => {
		res.statusCode = 404;
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ error: { code: 'not_found', message: '请求的内容不存在。' } }));
	});
});
attachCollab(server, services.collab.hocuspocus);

server.listen(config.port, config.host, () => {
	const addr = server.address();
	const port = typeof addr === 'object' && addr ? addr.port : config.port;
	log.info('listening', { url: `http://localhost:${port}`, dataDir: config.dataDir });
	process.stdout.write(`防控 Fangkong 已启动：http://localhost:${port}\n`);
});

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	log.info('shutting down', { signal });
	server.close();
	try {
		await services.close();
	} catch (err) {
		log.error('error during shutdown', errorFields(err));
	}
	process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
process.on('unhandledRejection', (err) => log.error('unhandled rejection', errorFields(err)));
