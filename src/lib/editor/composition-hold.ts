import * as Y from 'yjs';

const BRIDGE = Symbol('composition-bridge');

/**
 * Keeps an IME composition private and unbroken. The editor works on `local`; the provider
 * syncs `network`; updates cross between them immediately, except while the user is composing
 * (typing pinyin before choosing characters). Then local updates wait, so peers never see
 * half-composed pinyin, and remote updates wait, so a remote edit cannot re-render the text
 * under the composition. Both queues cross when the composition ends.
 */
export class CompositionHold {
	readonly local = new Y.Doc();
	private network: Y.Doc;
	private holding = false;
	private outgoing: Uint8Array[] = [];
	private incoming: Uint8Array[] = [];
	private offLocal: () => void;
	private offNetwork: () => void;

	constructor(network: Y.Doc) {
		this.network = network;
		// One author identity on both sides: awareness (carets) and the provider speak for the
		// network doc, the editor for the local one, and they must agree who "I" am.
		this.local.clientID = network.clientID;
		Y.applyUpdate(this.local, Y.encodeStateAsUpdate(network), BRIDGE);
		const onLocal = (update: Uint8Array, origin: unknown) => {
			if (origin === BRIDGE) return;
			if (this.holding) this.outgoing.push(update);
			else this.toNetwork(update);
		};
		const onNetwork = (update: Uint8Array, origin: unknown) => {
			if (origin === BRIDGE) return;
			if (this.holding) this.incoming.push(update);
			else Y.applyUpdate(this.local, update, BRIDGE);
		};
		this.local.on('update', onLocal);
		network.on('update', onNetwork);
		this.offLocal = () => this.local.off('update', onLocal);
		this.offNetwork = () => network.off('update', onNetwork);
	}

	/**
	 * Our own edits enter the network doc as a local transaction. `applyUpdate` marks its
	 * transaction remote, and Yjs, seeing its own client id arrive "from elsewhere", would pick
	 * a new id; the enclosing transaction is marked local again before it closes.
	 */
	private toNetwork(update: Uint8Array) {
		this.network.transact((tr) => {
			Y.applyUpdate(this.network, update, BRIDGE);
			tr.local = true;
		}, BRIDGE);
	}

	get composing() {
		return this.holding;
	}

	hold() {
		this.holding = true;
	}

	release() {
		if (!this.holding) return;
		this.holding = false;
		// The committed characters replace the pinyin inside these updates; peers receive one
		// merged update, so the intermediate text is never shown to them.
		if (this.outgoing.length) this.toNetwork(Y.mergeUpdates(this.outgoing.splice(0)));
		if (this.incoming.length) Y.applyUpdate(this.local, Y.mergeUpdates(this.incoming.splice(0)), BRIDGE);
	}

	/** Follows composition events on the editor's DOM; returns a function that stops following. */
	follow(dom: HTMLElement): () => void {
		const start = () => this.hold();
		// compositionend fires before the final input is read; release after it settles.
		const end = () => setTimeout(() => this.release(), 0);
		dom.addEventListener('compositionstart', start);
		dom.addEventListener('compositionend', end);
		dom.addEventListener('blur', end);
		return () => {
			dom.removeEventListener('compositionstart', start);
			dom.removeEventListener('compositionend', end);
			dom.removeEventListener('blur', end);
		};
	}

	destroy() {
		this.release();
		this.offLocal();
		this.offNetwork();
		this.local.destroy();
	}
}
