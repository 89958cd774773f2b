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

export type CollabClientOptions = {
	/** Share this socket with other clients, as the documents of one browser tab do. */
	socket?: HocuspocusProviderWebsocket;
	/** Extra headers on the WebSocket upgrade (a browser's Origin and Cookie). */
	headers?: Record<string, string>;
	/** Start from this document (a tab's local history) instead of an empty one. */
	doc?: Y.Doc;
};

/** A socket of one tab (or one Node client) that several CollabClients can share. */
export function collabSocket(wsUrl: string, headers?: Record<string, string>) {
	return new HocuspocusProviderWebsocket({
		url: wsUrl,
		delay: 100,
		minDelay: 100,
		maxDelay: 1000,
		WebSocketPolyfill: headers ? webSocketWithHeaders(headers) : undefined
	});
}

/** Node's WebSocket takes request headers as a second argument; browsers set Origin and Cookie themselves. */
function webSocketWithHeaders(headers: Record<string, string>) {
	return class extends WebSocket {
		constructor(url: string | URL) {
			super(url, { headers } as unknown as string[]);
		}
	};
}

/**
 * A real Hocuspocus provider client in Node over a real WebSocket, as a browser tab would
 * use it, with helpers to type into the section text and wait for the server's confirmation.
 */
export class CollabClient {
	readonly doc: Y.Doc;
	readonly socket: HocuspocusProviderWebsocket;
	readonly provider: HocuspocusProvider;
	private readonly ownsSocket: boolean;
	private readonly ownsDoc: boolean;
	authFailed: string | null = null;
	scope: string | null = null;
	/** Reasons of the per-document closes the server sent. */
	closes: string[] = [];
	/** Stateless messages the server sent to this document (collab/protocol.ts DOC_MESSAGE), parsed. */
	messages: { type?: string; [k: string]: unknown }[] = [];

	constructor(wsUrl: string, docName: string, token: string, options: CollabClientOptions = {}) {
		this.doc = options.doc ?? new Y.Doc();
		this.ownsDoc = !options.doc;
		this.ownsSocket = !options.socket;
		this.socket = options.socket ?? collabSocket(wsUrl, options.headers);
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
			},
			onStateless: ({ payload }) => {
				try {
					this.messages.push(JSON.parse(payload));
				} catch {
					/* not ours */
				}
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

	/** Closes this document only; a shared socket and a given document stay for their owner. */
	destroy() {
		this.provider.destroy();
		if (this.ownsSocket) this.socket.destroy();
		if (this.ownsDoc) this.doc.destroy();
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
