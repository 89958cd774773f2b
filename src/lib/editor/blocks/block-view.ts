import type { NodeViewRendererProps } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorView, NodeView } from '@tiptap/pm/view';
import { contentOnly } from './dom.ts';

type Mutation = MutationRecord | { type: 'selection'; target: Node };

/**
 * Base of the blocks' node views that put their own controls (buttons, selects) around
 * editable content. ProseMirror owns only `contentDOM`; the controls are the view's. Controls
 * follow the editor's editability: ProseMirror does not redraw a node view when only
 * `editable` changes, so the view listens to the editor's updates (setEditable emits one).
 */
export abstract class BlockView implements NodeView {
	abstract dom: HTMLElement;
	abstract contentDOM: HTMLElement;
	protected readonly props: NodeViewRendererProps;
	protected readonly view: EditorView;
	private readonly stopFollowing: () => void;

	constructor(props: NodeViewRendererProps) {
		this.props = props;
		this.view = props.editor.view;
		const follow = () => this.sync();
		props.editor.on('update', follow);
		this.stopFollowing = () => props.editor.off('update', follow);
	}

	/** Brings the controls in line with the node and the editor's editability. */
	protected abstract sync(): void;

	/** Node type this view draws; `update` refuses other nodes so ProseMirror redraws. */
	protected abstract readonly typeName: string;

	protected pos(): number | undefined {
		return (this.props.getPos as () => number | undefined)();
	}

	protected onNode(_node: PMNode): void {}

	update(node: PMNode) {
		if (node.type.name !== this.typeName) return false;
		this.onNode(node);
		this.sync();
		return true;
	}

	ignoreMutation(mutation: Mutation) {
		return contentOnly.ignoreMutation(this.contentDOM, mutation);
	}

	stopEvent(e: Event) {
		return contentOnly.stopEvent(this.contentDOM, e);
	}

	destroy() {
		this.stopFollowing();
	}
}
