import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { SECTION_FIELD } from '../../collab/schema/index.ts';
import { reauthenticateOnAccessChange } from '../../collab/protocol.ts';

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error(`timed out waiting for: ${what}`);
}

/**
 * A real Hocuspocus provider client in Node over a real WebSocket, as a browser tab would
 * use it, with helpers to type into the section text and wait for the server's confirmation.
 */
export class CollabClient {
	readonly doc = new Y.Doc();
	readonly socket: HocuspocusProviderWebsocket;
	readonly provider: HocuspocusProvider;
	authFailed: string | null = null;
	scope: string | null = null;
	/** Reasons of the per-document closes the server sent. */
	closes: string[] = [];

	constructor(wsUrl: string, docName: string, token: string) {
		this.socket = new HocuspocusProviderWebsocket({ url: wsUrl, delay: 100, minDelay: 100, maxDelay: 1000 });
		this.provider = new HocuspocusProvider({
			websocketProvider: this.socket,
			name: docName,
			document: this.doc,
			token,
			onAuthenticationFailed: ({ reason }) => (this.authFailed = reason),
			onAuthenticated: ({ scope }) => {
				this.authFailed = null;
				this.scope = scope;
			},
			onClose: ({ event }) => {
				this.closes.push(event.reason);
				reauthenticateOnAccessChange(this.provider, event.reason);
			}
		});
		this.provider.attach();
	}

	get fragment() {
		return this.doc.getXmlFragment(SECTION_FIELD);
	}

	/** Plain text of the section (all text nodes, in order). */
	text(): string {
		return xmlText(this.fragment);
	}

	async synced() {
		await until(() => this.provider.isSynced || this.authFailed !== null, 'provider synced');
		if (this.authFailed) throw new Error(`authentication failed: ${this.authFailed}`);
		return this;
	}

	/** Appends a paragraph with `text` (a new block, as pressing Enter and typing would). */
	appendParagraph(text: string) {
		this.doc.transact(() => {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(text)]);
			this.fragment.insert(this.fragment.length, [p]);
		});
	}

	/** Inserts `text` into the first paragraph's text at `index`. */
	typeInFirstParagraph(index: number, text: string) {
		const first = this.firstParagraphText();
		first.insert(index, text);
	}

	firstParagraphText(): Y.XmlText {
		for (const child of this.fragment.toArray()) {
			if (child instanceof Y.XmlElement && child.nodeName === 'paragraph') {
				const t = child.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText | undefined;
				if (t) return t;
			}
		}
		throw new Error('no paragraph with text');
	}

	/** Resolves once the server has confirmed every local change (the "saved" state). */
	async confirmed() {
		await until(() => this.provider.unsyncedChanges === 0 && this.provider.isSynced, 'server confirmation');
	}

	destroy() {
		this.provider.destroy();
		this.socket.destroy();
		this.doc.destroy();
	}
}

function xmlText(node: Y.XmlFragment | Y.XmlElement): string {
	let out = '';
	for (const c of node.toArray()) {
		if (c instanceof Y.XmlText) out += c.toString().replace(/<[^>]+>/g, '');
		else if (c instanceof Y.XmlElement) out += xmlText(c) + (c.nodeName === 'paragraph' || c.nodeName === 'heading' ? '\n' : '');
	}
	return out;
}
