import { api, requireUser } from '#lib/server/api.ts';
import type { Signal } from '#server/inbox/bus.ts';

const KEEPALIVE_MS = 25_000;

/**
 * One server-sent-event stream per tab: a signal names what changed (inbox, a manual's
 * progress, a section) and the page fetches it again. Signals carry no content.
 */
export const GET = api(async (event) => {
	const user = requireUser(event);
	const { bus } = event.locals.services;
	const encoder = new TextEncoder();
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (chunk: string) => {
				try {
					controller.enqueue(encoder.encode(chunk));
				} catch {
					stop();
				}
			};
			const unsubscribe = bus.subscribe(user.id, (signal: Signal) => send(`event: ${signal.type}\ndata: ${JSON.stringify(signal)}\n\n`));
			const timer = setInterval(() => send(': keep-alive\n\n'), KEEPALIVE_MS);
			stop = () => {
				clearInterval(timer);
				unsubscribe();
			};
			send('retry: 3000\n\n');
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' }
	});
});
