import type { AnyExtension } from '@tiptap/core';
import * as Y from 'yjs';
import { schemaExtensions } from '#collab/schema/index.ts';
import { StepIndex } from '../flowchart/step-index.ts';
import type { BlockContext, RowAddonFactory } from './context.ts';
import { powerItemClient } from './power-item.ts';
import { riskTableClient } from './risk-table.ts';
import { EmptyFieldHints } from './placeholders.ts';
import { SelectCellFirst } from './select-cell.ts';
import { CaretAfterRemoteEdit } from './caret-after-remote-edit.ts';

/**
 * The editor schema as the browser runs it: the same node types as collab/schema, some
 * extended with node views and keys (extending keeps name and schema identical).
 */
export function browserExtensions(ctx: BlockContext, extra: AnyExtension[] = []): AnyExtension[] {
	const replacements = new Map<string, AnyExtension>();
	for (const ext of [...powerItemClient(), ...riskTableClient(ctx), ...extra]) replacements.set(ext.name, ext);
	return [...schemaExtensions.map((e) => replacements.get(e.name) ?? e), EmptyFieldHints, SelectCellFirst, CaretAfterRemoteEdit];
}

/** Block context for a section document. */
export function blockContext(doc: Y.Doc, focusStep: (stepId: string) => void, rowAddon?: RowAddonFactory): BlockContext {
	const index = StepIndex.of(doc);
	return {
		doc,
		steps: () => index.list(),
		onStepsChange: (fn) => index.subscribe(fn),
		focusStep,
		rowAddon
	};
}
