/**
 * Live signals to signed-in people ("your inbox changed", "this manual's progress changed").
 * The browser listens through one server-sent-event stream per tab (GET /api/events) to the
 * instance it reached, and reloads what the signal names. With several instances (`REDIS_URL`)
 * services.ts fans `send` out through the cluster channel, so each instance tells its own
 * listeners; arguments are plain JSON for that. Signals carry no content, so a signal
 * reaching someone never discloses anything: they fetch through the API, which checks access.
 */
export type Signal =
	| { type: 'inbox' }
	| { type: 'manual'; manualId: string }
	| { type: 'section'; sectionId: string }
	/** Progress of a long export the person asked for (named by the `job` they chose). */
	| { type: 'export'; job: string; stage: string; done: number; total: number };

type Listener = (signal: Signal) => void;

export class SignalBus {
	private byUser = new Map<string, Set<Listener>>();

	subscribe(userId: string, listener: Listener): () => void {
		let set = this.byUser.get(userId);
		if (!set) this.byUser.set(userId, (set = new Set()));
		set.add(listener);
		return () => {
			set.delete(listener);
			if (!set.size) this.byUser.delete(userId);
		};
	}

	/** To the given users, or to everyone listening. */
	send(to: string[] | 'everyone', signal: Signal) {
		const targets = to === 'everyone' ? [...this.byUser.values()] : to.map((id) => this.byUser.get(id)).filter((s) => !!s);
		for (const set of targets) for (const listener of set) listener(signal);
	}
}
