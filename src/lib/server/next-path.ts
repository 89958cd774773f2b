/**
 * Where to send someone after signing in: a path of this site, else `/`.
 *
 * A check on the first characters is not enough: browsers read `\` as `/` and drop tabs and
 * newlines (`/\evil.example` and `/<tab>/evil.example` both mean `//evil.example`, another
 * host), and dot segments collapse (`/a/..//evil.example`). So `next` is resolved the way a
 * browser would and must stay on this origin and be a plain path afterwards.
 */
export function safeNextPath(next: string | null, origin: string): string {
	if (!next || !next.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(next)) return '/';
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return '/';
	}
	const path = url.pathname + url.search + url.hash;
	return url.origin === new URL(origin).origin && !path.startsWith('//') ? path : '/';
}
