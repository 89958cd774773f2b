import type { Node as PMNode, ResolvedPos } from '@tiptap/pm/model';
import { TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { RISK_CELLS, newRowId } from '#collab/schema/risk-table.ts';

/** Row and table operations on the risk table, as plain ProseMirror transactions. */

export function emptyRow(state: EditorState, attrs: Record<string, unknown> = {}): PMNode {
	const { riskRow, riskCell } = state.schema.nodes;
	return riskRow.create(
		{ category: '权力行使', level: null, deadline: null, stepId: null, ...attrs, id: newRowId() },
		RISK_CELLS.map(({ key }) => riskCell.create({ field: key }))
	);
}

/** The risk row around a resolved position, with its start position, or null. */
export function rowAt($pos: ResolvedPos): { node: PMNode; pos: number; index: number; table: PMNode; tablePos: number } | null {
	for (let d = $pos.depth; d > 0; d--) {
		if ($pos.node(d).type.name === 'riskRow') {
			return { node: $pos.node(d), pos: $pos.before(d), index: $pos.index(d - 1), table: $pos.node(d - 1), tablePos: $pos.before(d - 1) };
		}
	}
	return null;
}

function focusCell(tr: Transaction, rowPos: number, cellIndex = 0): Transaction {
	const row = tr.doc.nodeAt(rowPos);
	if (!row) return tr;
	let pos = rowPos + 1;
	for (let i = 0; i < cellIndex && i < row.childCount; i++) pos += row.child(i).nodeSize;
	return tr.setSelection(TextSelection.create(tr.doc, pos + 1));
}

export function insertRowAfter(state: EditorState, rowPos: number): Transaction {
	const row = state.doc.nodeAt(rowPos)!;
	const at = rowPos + row.nodeSize;
	const tr = state.tr.insert(at, emptyRow(state, { category: row.attrs.category }));
	return focusCell(tr, at).scrollIntoView();
}

export function appendRow(state: EditorState, tablePos: number): Transaction {
	const table = state.doc.nodeAt(tablePos)!;
	const at = tablePos + table.nodeSize - 1;
	return focusCell(state.tr.insert(at, emptyRow(state)), at).scrollIntoView();
}

/** Deletes a row; the last row of a table is emptied instead, so the table keeps one row. */
export function deleteRow(state: EditorState, rowPos: number): Transaction {
	const row = state.doc.nodeAt(rowPos)!;
	const $row = state.doc.resolve(rowPos);
	const table = $row.parent;
	if (table.childCount <= 1) {
		return state.tr.replaceWith(rowPos, rowPos + row.nodeSize, emptyRow(state));
	}
	const tr = state.tr.delete(rowPos, rowPos + row.nodeSize);
	const target = Math.min(rowPos, tr.doc.resolve(rowPos).end() - 1);
	const r = rowAt(tr.doc.resolve(Math.max(1, target + 2)));
	return r ? focusCell(tr, r.pos) : tr;
}

/** Swaps a row with its neighbour. Yjs has no move: the row is re-inserted, keeping its id and attributes. */
export function moveRow(state: EditorState, rowPos: number, dir: -1 | 1): Transaction | null {
	const $row = state.doc.resolve(rowPos);
	const index = $row.index();
	const table = $row.parent;
	const other = index + dir;
	if (other < 0 || other >= table.childCount) return null;
	const row = table.child(index);
	const neighbour = table.child(other);
	const { from, to } = dir === -1
		? { from: rowPos - neighbour.nodeSize, to: rowPos + row.nodeSize }
		: { from: rowPos, to: rowPos + row.nodeSize + neighbour.nodeSize };
	const tr = state.tr.replaceWith(from, to, dir === -1 ? [row, neighbour] : [neighbour, row]);
	const newPos = dir === -1 ? from : from + neighbour.nodeSize;
	const cellIndex = cellIndexAt(state.selection.$from);
	return focusCell(tr, newPos, cellIndex).scrollIntoView();
}

function cellIndexAt($pos: ResolvedPos): number {
	for (let d = $pos.depth; d > 0; d--) if ($pos.node(d).type.name === 'riskCell') return $pos.index(d - 1);
	return 0;
}

/** Moves the cursor to the next (or previous) text cell of the same kind of block; false at the edge. */
export function moveToCell(state: EditorState, dir: 1 | -1, cellTypes: string[]): Transaction | null {
	const here = state.selection.$from;
	let depth = -1;
	for (let d = here.depth; d > 0; d--) if (cellTypes.includes(here.node(d).type.name)) depth = d;
	if (depth < 0) return null;
	const start = here.before(depth);
	const positions: number[] = [];
	// Cells of the enclosing block (table or card) in document order.
	let blockDepth = depth - 1;
	while (blockDepth > 0 && !['riskTable', 'powerItem'].includes(here.node(blockDepth).type.name)) blockDepth--;
	const block = here.node(blockDepth);
	const blockStart = here.start(blockDepth);
	block.descendants((node, pos) => {
		if (cellTypes.includes(node.type.name)) positions.push(blockStart + pos);
		return !cellTypes.includes(node.type.name);
	});
	const i = positions.indexOf(start);
	const target = positions[i + dir];
	if (target === undefined) return null;
	const node = state.doc.nodeAt(target)!;
	return state.tr.setSelection(TextSelection.create(state.doc, target + 1 + node.content.size)).scrollIntoView();
}
