import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import type { SessionUser } from '../../server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { policies } from '../../server/policies/index.ts';
import type { CollabDeps } from '../deps.ts';
import { COOKIE_TOKEN } from '../protocol.ts';

/** What a document connection carries once authenticated: who, with which session, on which section. */
export type CollabContext = { user: SessionUser; sessionId: string; sectionId: string; readOnly: boolean };

function cookieToken(headers: Headers): string | null {
	const raw = headers.get('cookie');
	if (!raw) return null;
	for (const part of raw.split(';')) {
		const [k, ...v] = part.trim().split('=');
		if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
	}
	return null;
}

/**
 * Who may open which document, and whether read-only. Runs for every document a connection
 * opens; the decision itself lives in server/policies.
 */
export class Authenticate implements Extension {
	extensionName = 'fangkong-authenticate';
	private deps: CollabDeps;
	constructor(deps: CollabDeps) {
		this.deps = deps;
	}

	async onAuthenticate(data: onAuthenticatePayload): Promise<CollabContext> {
		const token = !data.token || data.token === COOKIE_TOKEN ? cookieToken(data.requestHeaders) : data.token;
		const auth = token ? await this.deps.sessions.validate(token) : null;
		if (!auth) throw new Error('unauthorized');
		const found = await this.deps.sections.byDoc(data.documentName);
		if (!found) throw new Error('not-found');
		if (!policies.openLiveDocument(auth.user, found.section)) throw new Error('forbidden');
		const readOnly = !policies.editSection(auth.user, found.section, found.manual);
		data.connectionConfig.readOnly = readOnly;
		return { user: auth.user, sessionId: auth.session.id, sectionId: found.section.id, readOnly };
	}
}
