import type http from 'node:http';

/** For everything that is not a page (JSON, static files, errors): nothing may run or load. */
const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers set on every response before anything else answers. A page's own policy, which
 * SvelteKit writes with a fresh script nonce (`csp` in vite.config.ts), replaces the
 * content-security-policy set here.
 */
export function applySecurityHeaders(req: http.IncomingMessage, res: http.ServerResponse) {
	res.setHeader('content-security-policy', NON_PAGE_CSP);
	res.setHeader('x-frame-options', 'DENY');
	res.setHeader('x-content-type-options', 'nosniff');
	res.setHeader('referrer-policy', 'same-origin');
	// Only when the browser reached us over TLS (a TLS proxy says so, or ORIGIN is https): an
	// installation served over plain HTTP must never tell browsers to insist on HTTPS.
	if (req.headers['x-forwarded-proto'] === 'https' || process.env.ORIGIN?.startsWith('https:')) {
		res.setHeader('strict-transport-security', 'max-age=31536000');
	}
}
