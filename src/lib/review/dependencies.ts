/**
 * Names of what pages load, for SvelteKit's `depends`/`invalidate`: a live signal from
 * /api/events (or a stateless message from the collaboration server) reloads exactly these.
 */
export const INBOX_DEPENDENCY = 'app:inbox';
export const manualDependency = (manualId: string) => `app:manual:${manualId}`;
export const sectionDependency = (sectionId: string) => `app:section:${sectionId}`;
