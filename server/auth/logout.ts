import { sessionIdOf, type SessionService } from './sessions.ts';

type Closer = { closeSession(userId: string, sessionId: string): void };

/**
 * Ends a session: its token stops working, and the collaboration connections opened with it
 * close at once (they try to authenticate again and are refused). The user's other sessions stay.
 */
export async function logout(s: { sessions: SessionService; collab: { connections: Closer } }, userId: string, token: string) {
	await s.sessions.invalidate(token);
	s.collab.connections.closeSession(userId, sessionIdOf(token));
}
