/**
 * How big a section may get. Generous for a real manual section — a section with 2,000 risk rows
 * of demo-sized text is about 1.4 MB and pasting all of them at once one update of the same
 * size — and far below what hurts the server or a reader's browser.
 */

/** One incoming Yjs update (a keystroke is ~30 bytes; a paste of 2,000 risk rows ~1.4 MB). */
export const MAX_UPDATE_BYTES = 4 * 1024 * 1024;

/**
 * A whole document, encoded (2,000 risk rows with four times the demo's text still fit). Updates
 * that would take a document past it are refused, unless they only delete: a document that is
 * over it (old data) can still be cut down. Stays below the socket's frame cap (collab/attach.ts),
 * so a client can always send a whole document in one sync.
 */
export const MAX_DOC_BYTES = 6 * 1024 * 1024;

/**
 * Element nesting in the section text (a risk cell is at level 3; a list nested 30 deep is ~60).
 * ProseMirror, y-prosemirror and Yjs all recurse per level: a few thousand levels overflow the
 * stack in the browser or on the server, and where depends on what else is on the stack.
 */
export const MAX_DEPTH = 100;

/**
 * A step's text (name, post, duty: Y.Text) may run past its limit when several people add to it
 * at once, each within the limit; readers clip it. Refusing the merge would lock the later writer
 * out (every reconnect resends the same update), so the guard allows up to this many times the
 * limit.
 */
export const MERGED_TEXT_FACTOR = 4;

/** Flowcharts per section, steps and edges per flowchart, length of a step, edge or chart id. */
export const MAX_CHARTS = 20;
export const MAX_STEPS = 300;
export const MAX_EDGES = 600;
export const MAX_ID_LENGTH = 64;
