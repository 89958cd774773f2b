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

type Reauthenticable = { sendToken(): Promise<void>; startSync(): void };

/**
 * Client side: re-authenticate one document after the server closed it for an access change.
 *
 * When the server closes a document it forgets that document on the socket at once, so the
 * provider only needs to authenticate and sync again, as on a fresh socket. It must not detach
 * and re-attach: detaching sends a close of its own, which the server would queue behind the new
 * authentication and then apply to the new connection (a `provider_initiated` close arriving
 * after "authenticated"), leaving the provider signed out while the server kept a live connection.
 */
export function reauthenticateOnAccessChange(provider: Reauthenticable, reason: string | undefined) {
	if (reason !== ACCESS_CHANGED) return false;
	void provider.sendToken().then(() => provider.startSync());
	return true;
}

/**
 * Stateless messages the server sends to every open editor of a document (JSON `{type,…}`):
 * the section's review state changed; its comment threads changed.
 */
export const DOC_MESSAGE = { state: 'section-state', comments: 'comments-changed' } as const;
