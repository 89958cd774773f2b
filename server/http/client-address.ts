import net from 'node:net';

/**
 * The address a request came from, for throttling and logs.
 *
 * Without trusted proxies it is the socket's peer. Behind `trustProxy` reverse proxies, each one
 * appends the address it received the request from to X-Forwarded-For, so the entry `trustProxy`
 * places from the right is what the outermost of our own proxies saw. Entries further left were
 * written by the client itself: believing them would let a guesser pose as a new address on
 * every try.
 */
export function clientAddress(event: { request: Request; getClientAddress(): string }, trustProxy: number): string {
	let socket: string;
	try {
		socket = normalize(event.getClientAddress());
	} catch {
		// The socket closed before we asked: nothing to tell such a request apart by.
		socket = 'unknown';
	}
	if (trustProxy <= 0) return socket;
	const hops = (event.request.headers.get('x-forwarded-for') ?? '')
		.split(',')
		.map((h) => h.trim())
		.filter(Boolean);
	const hop = hops.length >= trustProxy ? normalize(hops[hops.length - trustProxy]) : '';
	return net.isIP(hop) ? hop : socket;
}

/** `::ffff:1.2.3.4` is 1.2.3.4; some proxies write `[v6]:port` or `v4:port`. */
function normalize(address: string): string {
	let a = address.trim();
	const bracketed = a.match(/^\[([^\]]+)\](?::\d+)?$/);
	if (bracketed) a = bracketed[1];
	else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
	const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
	return mapped ? mapped[1] : a;
}
