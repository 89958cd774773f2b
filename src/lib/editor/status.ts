/** What the connection badge shows; derived from the provider's events. */
export type SaveState = 'connecting' | 'offline' | 'saving' | 'saved';

export function saveState(opts: { connected: boolean; synced: boolean; unsynced: number; everConnected: boolean }): SaveState {
	if (!opts.connected) return opts.everConnected ? 'offline' : 'connecting';
	if (!opts.synced || opts.unsynced > 0) return 'saving';
	return 'saved';
}

/** How long a save must take before the badge says 正在保存… (a keystroke is confirmed well within it). */
export const SAVING_SHOWN_AFTER_MS = 400;
