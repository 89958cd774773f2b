import type { SessionUser } from '#server/auth/sessions.ts';
import type { Services } from '#server/services.ts';

declare global {
	namespace App {
		interface Locals {
			services: Services;
			user: SessionUser | null;
			/** The session token the request authenticated with (cookie or bearer). */
			token: string | null;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
