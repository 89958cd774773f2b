/**
 * What the collaboration server and its clients agree on beyond the Hocuspocus protocol.
 * Imported by both sides; keep it free of server-only imports.
 */

/** Token a browser sends when the server should read its HttpOnly session cookie instead. */
export const COOKIE_TOKEN = 'cookie';

/**
 * Reason of the per-document close the server sends when a user's access to a document
 * changed (account disabled, role or unit changed, phase advanced, section locked).
 * The client answers by authenticating that document again.
 */
export const ACCESS_CHANGED = 'access-changed';

type Reattachable = { detach(): void; attach(): void };

/** Client side: re-authenticate one document after the server closed it for an access change. */
export function reauthenticateOnAccessChange(provider: Reattachable, reason: string | undefined) {
	if (reason !== ACCESS_CHANGED) return false;
	provider.detach();
	provider.attach();
	return true;
}

/**
 * Stateless messages the server sends to every open editor of a document (JSON `{type,…}`):
 * the section's review state changed; its comment threads changed.
 */
export const DOC_MESSAGE = { state: 'section-state', comments: 'comments-changed' } as const;
