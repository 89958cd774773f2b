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
import { SESSION_COOKIE } from './auth/sessions.ts';
import { errorBody, forbidden } from './errors.ts';
import { attachCollab } from '../collab/attach.ts';
import { errorFields, log } from './log.ts';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
	process.stderr.write(
		`防控 Fangkong 需要 Node.js 24（当前 ${process.version}）。请先执行：. scripts/node24.sh\n` +
			`Fangkong needs Node.js 24 (running ${process.version}). Run: . scripts/node24.sh\n`
	);
	process.exit(1);
}

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
	if (refuseCrossSiteApiRequest(req, res)) return;
	handler(req, res, () => {
		res.statusCode = 404;
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ error: { code: 'not_found', message: '请求的内容不存在。' } }));
	});
});
attachCollab(server, services.collab.hocuspocus);

const selfOrigin = (req: http.IncomingMessage) => process.env.ORIGIN ?? `${req.headers['x-forwarded-proto']}://${req.headers.host}`;

function prepareRequest(req: http.IncomingMessage) {
	const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? 'http';
	req.headers['x-forwarded-proto'] = proto;
	// SvelteKit refuses body-less or form-typed POSTs without a same-origin Origin header as
	// cross-site form posts. Forgery rides on the browser's ambient session cookie, and browsers
	// send Origin with every POST: a request without Origin that authenticates with a bearer
	// token, or carries no session cookie at all, has nothing a forger could use, so it is
	// vouched for as same-origin (API clients, curl, an anonymous logout).
	if (!req.headers.origin && (/^Bearer\s/i.test(req.headers.authorization ?? '') || !hasSessionCookie(req))) {
		req.headers.origin = selfOrigin(req);
	}
}

function hasSessionCookie(req: http.IncomingMessage): boolean {
	return (req.headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata'];

/**
 * The cross-site check SvelteKit makes (same rule), made here for /api/ so the refusal has the
 * API's JSON error shape instead of SvelteKit's plain text (it runs before any hook).
 */
function refuseCrossSiteApiRequest(req: http.IncomingMessage, res: http.ServerResponse): boolean {
	if (!(req.url ?? '').startsWith('/api/')) return false;
	if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')) return false;
	const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (type && !FORM_TYPES.includes(type)) return false;
	if (req.headers.origin === selfOrigin(req)) return false;
	res.statusCode = 403;
	res.setHeader('content-type', 'application/json');
	res.end(JSON.stringify(errorBody(forbidden('跨站提交已被拒绝，请从本系统页面发起请求。'))));
	return true;
}

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
