import type { SessionService } from '../server/auth/sessions.ts';
import type { ClusterChannel } from '../server/cluster/channel.ts';
import type { DocumentStore } from '../server/documents/store.ts';
import type { SectionService } from '../server/services/sections.ts';

/** What the collaboration server needs from the domain; one instance shared with the web app. */
export type CollabDeps = {
	sessions: SessionService;
	sections: SectionService;
	store: DocumentStore;
	/** Set when several instances share one Redis (`REDIS_URL`). */
	cluster?: ClusterChannel | null;
};
