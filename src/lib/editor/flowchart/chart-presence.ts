import type { Awareness } from 'y-protocols/awareness';
import { z } from 'zod';

/**
 * Who is working on which step of one chart, through the awareness field `flowchart`:
 * `{chartId, stepId, field?}` (the server keeps this field, and sets `user` itself). Peers'
 * states are untrusted: each is parsed and whatever does not fit is ignored.
 */

export const AWARENESS_FIELD = 'flowchart';

export const ChartFocus = z.object({
	chartId: z.string().min(1).max(100),
	stepId: z.string().min(1).max(100).nullable(),
	field: z.string().max(40).optional()
});
export type ChartFocus = z.infer<typeof ChartFocus>;

const PeerUser = z.object({
	id: z.string().min(1).max(100),
	name: z.string().min(1).max(100),
	color: z.string().regex(/^#[0-9a-fA-F]{3,8}$/)
});
const PeerState = z.object({ user: PeerUser, [AWARENESS_FIELD]: ChartFocus });

/** A colleague at a step: who, in which colour, and in which field of its side panel (if any). */
export type StepPeer = { clientId: number; name: string; color: string; stepId: string; field?: string };

export class ChartPresence {
	private awareness: Awareness | null;
	private chartId: string;
	/** Each peer's place in this chart, from their last awareness state. */
	private byClient = new Map<number, StepPeer>();
	private peers: StepPeer[] = [];
	private listeners = new Set<(peers: StepPeer[]) => void>();

	constructor(awareness: Awareness | null, chartId: string) {
		this.awareness = awareness;
		this.chartId = chartId;
		awareness?.on('change', this.onChange);
		if (awareness) this.onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] });
	}

	/** Tells the others which step (and which of its fields) this person is at; null: none. */
	publish(stepId: string | null, field?: string) {
		const a = this.awareness;
		if (!a) return;
		const mine = a.getLocalState()?.[AWARENESS_FIELD] as ChartFocus | null | undefined;
		const next: ChartFocus | null = stepId ? { chartId: this.chartId, stepId, ...(field ? { field } : {}) } : null;
		// Several charts share one awareness state: leaving this chart never clears another's.
		if (!next && mine?.chartId !== this.chartId) return;
		if (mine?.chartId === next?.chartId && mine?.stepId === next?.stepId && mine?.field === next?.field) return;
		a.setLocalStateField(AWARENESS_FIELD, next);
	}

	/** Colleagues at a step of this chart, now. */
	current(): StepPeer[] {
		return this.peers;
	}

	/** Calls `fn` when the colleagues at this chart's steps change (not on every caret move). */
	subscribe(fn: (peers: StepPeer[]) => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	destroy() {
		this.publish(null);
		this.awareness?.off('change', this.onChange);
		this.listeners.clear();
	}

	/** Reads only the states that changed; tells listeners only when someone's place in this chart did. */
	private readonly onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		const a = this.awareness;
		if (!a) return;
		let changed = false;
		for (const clientId of removed) changed = this.byClient.delete(clientId) || changed;
		for (const clientId of [...added, ...updated]) {
			if (clientId === a.clientID) continue;
			const peer = this.peerOf(clientId, a.getStates().get(clientId));
			const before = this.byClient.get(clientId);
			if (!peer) changed = this.byClient.delete(clientId) || changed;
			else if (!before || before.stepId !== peer.stepId || before.field !== peer.field || before.name !== peer.name || before.color !== peer.color) {
				this.byClient.set(clientId, peer);
				changed = true;
			}
		}
		if (!changed) return;
		this.peers = [...this.byClient.values()].sort((p, q) => p.clientId - q.clientId);
		for (const fn of [...this.listeners]) fn(this.peers);
	};

	private peerOf(clientId: number, state: unknown): StepPeer | null {
		const parsed = PeerState.safeParse(state);
		if (!parsed.success) return null;
		const { user, flowchart } = parsed.data;
		if (flowchart.chartId !== this.chartId || !flowchart.stepId) return null;
		return { clientId, name: user.name, color: user.color, stepId: flowchart.stepId, ...(flowchart.field ? { field: flowchart.field } : {}) };
	}
}
