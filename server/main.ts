/**
 * Production entry (`npm start`): takes the port first, then builds the web app when sources are
 * newer than the build, opens (and on first start seeds) the database, and serves SvelteKit and
 * the collaboration server on that one HTTP server and port.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build-check.ts';
import { type Config, loadConfig } from './config.ts';
import { getServices, type Services } from './services.ts';
import { attachCollab } from '../collab/attach.ts';
import { prepareRequest, refuseCrossSiteApiRequest } from './http/cross-site.ts';
import { applySecurityHeaders } from './http/security-headers.ts';
import { claimDataDir, releaseDataDir } from './server-pid.ts';
import { errorFields, log, routeConsoleToLog } from './log.ts';

routeConsoleToLog();

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

const root = path.resolve(import.meta.dirname, '..');

/** Stops the start with a message people can act on (Chinese, then English), never a stack. */
function refuseToStart(zh: string, en: string, fields: Record<string, unknown> = {}): never {
	log.error('cannot start', { reason: en, ...fields });
	process.stderr.write(`防控 Fangkong 无法启动：${zh}\nFangkong cannot start: ${en}\n`);
	process.exit(1);
}

let config: Config;
try {
	config = loadConfig();
} catch (err) {
	refuseToStart(`配置有误，${(err as Error).message}`, (err as Error).message);
}

let handler: Handler | null = null;
const server = http.createServer((req, res) => {
	prepareRequest(req);
	applySecurityHeaders(req, res);
	if (!handler) {
		// Listening comes first so a taken port is found before anything is created.
		const message = '服务器正在启动，请稍后刷新。';
		const api = (req.url ?? '').startsWith('/api/');
		res.writeHead(503, { 'content-type': api ? 'application/json' : 'text/plain; charset=utf-8', 'retry-after': '5' });
		res.end(api ? JSON.stringify({ error: { code: 'starting', message } }) : `${message}\nFangkong is starting, reload in a moment.\n`);
		return;
	}
	if (refuseCrossSiteApiRequest(req, res)) return;
	handler(req, res, () => {
		res.statusCode = 404;
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ error: { code: 'not_found', message: '请求的内容不存在。' } }));
	});
});

await new Promise<void>((resolve) => {
	const cannotListen = (err: NodeJS.ErrnoException) => {
		const where = { port: config.port, host: config.host, code: err.code };
		if (err.code === 'EADDRINUSE')
			refuseToStart(
				`端口 ${config.port} 已被占用（可能已有一个防控服务器在运行）。请先停止占用它的程序，或用 PORT=其他端口 npm start。`,
				`port ${config.port} is already in use (perhaps by a running Fangkong). Stop what uses it, or start with PORT=<another port> npm start.`,
				where
			);
		if (err.code === 'EACCES')
			refuseToStart(
				`没有权限使用端口 ${config.port}（1024 以下的端口需要管理员权限）。请用 PORT=3000 之类的端口。`,
				`no permission to use port ${config.port} (ports below 1024 need root). Use a port like PORT=3000.`,
				where
			);
		if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
			refuseToStart(`本机没有地址 ${config.host}，请检查 HOST。`, `this machine has no address ${config.host}; check HOST.`, where);
		refuseToStart(`无法监听 ${config.host}:${config.port}（${err.message}）。`, `cannot listen on ${config.host}:${config.port} (${err.message}).`, where);
	};
	server.once('error', cannotListen);
	server.listen(config.port, config.host, () => {
		server.off('error', cannotListen);
		resolve();
	});
});

// On PostgreSQL the data directory holds no database: instances of one deployment may share it.
const claim = config.databaseUrl ? ({ ok: true } as const) : claimDataDir(config.dataDir);
if (!claim.ok)
	refuseToStart(
		`数据目录 ${config.dataDir} 正由另一个防控服务器（进程 ${claim.pid}）使用。`,
		`the data directory ${config.dataDir} is in use by another Fangkong server (process ${claim.pid}).`,
		{ pid: claim.pid }
	);

let services: Services | null = null;
let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	log.info('shutting down', { signal });
	server.close();
	try {
		await services?.close();
	} catch (err) {
		log.error('error during shutdown', errorFields(err));
	}
	releaseDataDir(config.dataDir);
	process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGHUP', () => void stop('SIGHUP'));
process.on('unhandledRejection', (err) => log.error('unhandled rejection', errorFields(err)));

try {
	await ensureBuilt(root);
	services = await getServices();
	// adapter-node assumes https unless told; we serve plain HTTP, and a TLS proxy in front
	// says so with X-Forwarded-Proto. Read when the handler module loads, so set it first.
	process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
	handler = (await import(pathToFileURL(path.join(root, 'build/handler.js')).href)).handler as Handler;
} catch (err) {
	log.error('start failed', errorFields(err));
	releaseDataDir(config.dataDir);
	process.stderr.write(`防控 Fangkong 启动失败：${(err as Error).message}\nFangkong failed to start (details in the log line above).\n`);
	process.exit(1);
}
attachCollab(server, services.collab.hocuspocus);

const addr = server.address();
const port = typeof addr === 'object' && addr ? addr.port : config.port;
log.info('listening', { url: `http://localhost:${port}`, dataDir: config.dataDir, node: process.version });
process.stdout.write(`防控 Fangkong 已启动：http://localhost:${port}（按 Ctrl+C 停止 / Ctrl+C stops it）\n`);
