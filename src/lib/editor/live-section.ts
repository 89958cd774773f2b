import type { Editor } from '@tiptap/core';
import type * as Y from 'yjs';

/** What SectionEditor hands to panels beside it: the live editor, its Y.Doc (as typed, before the network) and step focus. */
export type LiveSection = { editor: Editor; doc: Y.Doc; focusStep(stepId: string): void };
