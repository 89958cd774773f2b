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

/**
 * Libraries (Hocuspocus, lib0) report to console.error/warn, with stack traces, once per bad
 * message: a client sending junk could fill the disk. Their reports become JSON lines like ours,
 * without stacks, at most `perKind` of a kind per `windowMs`, and a count of the rest.
 */
export function routeConsoleToLog(windowMs = 60_000, perKind = 5) {
	const seen = new Map<string, { count: number; suppressed: number; level: Level }>();
	const flush = () => {
		for (const [text, s] of seen) if (s.suppressed) write(s.level, 'library messages suppressed', { text, suppressed: s.suppressed, windowMs });
		seen.clear();
	};
	setInterval(flush, windowMs).unref();
	const describe = (a: unknown) => {
		if (a instanceof Error) return `${a.name}: ${a.message}`;
		if (typeof a === 'string') return a;
		try {
			return JSON.stringify(a);
		} catch {
			return String(a);
		}
	};
	const route =
		(level: 'warn' | 'error') =>
		(...args: unknown[]) => {
			const text = args.map(describe).join(' ').slice(0, 500);
			const kind = text.slice(0, 80);
			const s = seen.get(kind) ?? { count: 0, suppressed: 0, level };
			seen.set(kind, s);
			if (++s.count > perKind) s.suppressed++;
			else write(level, 'library message', { text });
		};
	console.error = route('error');
	console.warn = route('warn');
}
