import * as Y from 'yjs';
import { readSection, sectionToYUpdate } from '../../collab/schema/index.ts';
import { buildSection, type SectionSpec } from '../../collab/schema/template.ts';
import type { EditionSnapshot } from '../../server/editions/snapshot.ts';
import { DEMO_MANUAL, DEMO_UNITS } from '../../server/seed/demo-content.ts';

/**
 * Edition snapshots for the export tests and the benchmark, built the way publishing builds
 * them: each section goes through a real Y.Doc and is read back (schema-normalised JSON).
 */

export type UnitSpec = { name: string; sections: SectionSpec[] };

/** 2026-11-27 10:00 Beijing time. */
export const PUBLISHED_AT = Date.UTC(2026, 10, 27, 2, 0, 0);

export function snapshotOf(units: UnitSpec[], manual = DEMO_MANUAL): EditionSnapshot {
	const who = { id: 'u-coord', username: 'coordinator', displayName: '纪检监察室 王明' };
	const built = units.map((u, i) => ({
		id: `unit-${i + 1}`,
		name: u.name,
		sections: u.sections.map((spec, j) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, sectionToYUpdate(buildSection(spec)));
			const { content, flowcharts } = readSection(doc);
			doc.destroy();
			return { id: `sec-${i + 1}-${j + 1}`, title: spec.title, content, flowcharts };
		})
	}));
	return {
		manual: { id: 'manual-1', title: manual.title, edition: manual.edition },
		number: 2,
		publishedAt: PUBLISHED_AT,
		publishedBy: who,
		note: '根据考核评估意见修订后发布。',
		prevHash: 'a'.repeat(64),
		units: built,
		records: {
			approvals: built.slice(0, 2).map((u, i) => ({
				id: `ap-${i + 1}`,
				unitId: u.id,
				unitName: u.name,
				meetingDate: '2026-09-2' + (i + 1),
				attendees: ['司长 张三', '副司长 李四', '纪检委员 赵六'],
				decision: `${u.name}领导班子集体审定本单位廉政风险防控内容，同意报送。`,
				attachment: null,
				recordedBy: { id: 'u-lead', username: 'leader', displayName: '单位负责人' },
				recordedAt: PUBLISHED_AT - 86_400_000 * (10 - i)
			})),
			decisions: [
				{
					id: 'dec-1',
					meetingDate: '2026-10-15',
					decision: '党组会议研究通过《国家铁路局行政许可廉政风险防控手册》，同意印发执行。',
					recordedBy: { id: 'u-party', username: 'party', displayName: '党组秘书' },
					recordedAt: PUBLISHED_AT - 86_400_000 * 3
				}
			]
		}
	};
}

/** The demo manual (server/seed/demo-content.ts) as a published edition. */
export function demoSnapshot(): EditionSnapshot {
	return snapshotOf(DEMO_UNITS);
}
