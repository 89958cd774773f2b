import type { FlowchartData } from '../../collab/schema/flowchart.ts';

/**
 * Everything one published edition of a manual holds, as plain JSON. Stored once, never
 * changed; its SHA-256 over a canonical serialisation is the edition's hash. The viewer, the
 * print page and the Word/Excel exports all read this and nothing else, so an edition reads
 * the same forever, whatever happens to the live sections afterwards.
 */
export type EditionSnapshot = {
	manual: { id: string; title: string; /** e.g. 2014年版 */ edition: string };
	number: number;
	/** Epoch milliseconds. */
	publishedAt: number;
	publishedBy: { id: string; username: string; displayName: string };
	note: string;
	/** Hash of the previous edition of this manual (a chain), null for the first. */
	prevHash: string | null;
	units: EditionUnit[];
	records: { approvals: ApprovalRecord[]; decisions: DecisionRecord[] };
};

export type EditionUnit = { id: string; name: string; sections: EditionSection[] };

export type EditionSection = {
	/** The live section's id. */
	id: string;
	title: string;
	/** ProseMirror JSON of the section text, in the editor schema (collab/schema). */
	content: Record<string, unknown>;
	flowcharts: Record<string, FlowchartData>;
};

/** 集体审定: a unit leadership's collective approval. */
export type ApprovalRecord = {
	id: string;
	unitId: string;
	unitName: string;
	/** YYYY-MM-DD */
	meetingDate: string;
	attendees: string[];
	decision: string;
	attachment: string | null;
	recordedBy: { id: string; username: string; displayName: string };
	recordedAt: number;
};

/** 党组研究: the party group's decision on the manual. */
export type DecisionRecord = {
	id: string;
	meetingDate: string;
	decision: string;
	recordedBy: { id: string; username: string; displayName: string };
	recordedAt: number;
};
