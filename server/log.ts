/** Operator log: one line per event, JSON so it can be grepped and shipped. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
let threshold = order[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? order.info;

export function setLogLevel(level: Level | 'silent') {
	threshold = order[level];
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
	if (order[level] < threshold) return;
	const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
	(level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
	debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
	info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
	warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
	error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields)
};

export function errorFields(err: unknown): Record<string, unknown> {
	if (err instanceof Error) return { error: err.message, stack: err.stack };
	return { error: String(err) };
}
