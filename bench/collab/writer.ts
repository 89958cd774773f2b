import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { BenchSocket, now } from './client.ts';
import type { DialectName } from './dialect.ts';

/**
 * A person typing into the section's last paragraph, as an editor tab would send it: each
 * keystroke is one Yjs update, followed by the caret (an awareness update with the selection as
 * relative positions, as CollaborationCaret publishes it). Keeps when each keystroke was sent,
 * by Yjs clock.
 */
export class Writer {
	readonly socket: BenchSocket;
	readonly doc = new Y.Doc();
	private awareness = new awarenessProtocol.Awareness(this.doc);
	/** Send time by clock offset from `base`. */
	readonly sent: number[] = [];
	base = 0;

	constructor(base: string, dialect: DialectName, docName: string, token: string) {
		this.socket = new BenchSocket(base, dialect, docName, token, { doc: this.doc });
	}

	get clientID() {
		return this.doc.clientID;
	}

	/** From now on keystrokes are timed. */
	track() {
		this.base = Y.getState(this.doc.store, this.clientID);
		this.sent.length = 0;
	}

	private text(): Y.XmlText {
		const fragment = this.doc.getXmlFragment('default');
		for (let i = fragment.length - 1; i >= 0; i--) {
			const p = fragment.get(i);
			if (p instanceof Y.XmlElement && p.nodeName === 'paragraph' && p.get(0) instanceof Y.XmlText) return p.get(0) as Y.XmlText;
		}
		throw new Error('the section has no paragraph to type in');
	}

	type(ch: string) {
		const text = this.text();
		const at = Math.floor(Math.random() * (text.length + 1));
		let update: Uint8Array | null = null;
		const grab = (u: Uint8Array, origin: unknown) => {
			if (origin !== this.socket) update = u;
		};
		this.doc.on('update', grab);
		text.insert(at, ch);
		this.doc.off('update', grab);
		const clock = Y.getState(this.doc.store, this.clientID) - 1;
		this.sent[clock - this.base] = now();
		this.socket.send(this.socket.dialect.update(this.socket.docName, update!));
		const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at + 1));
		this.awareness.setLocalStateField('cursor', { anchor: caret, head: caret });
		this.socket.send(this.socket.dialect.awareness(this.socket.docName, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.clientID])));
	}

	close() {
		this.awareness.destroy();
		this.socket.close();
	}
}
