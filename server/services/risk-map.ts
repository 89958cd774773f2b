import type { Section } from '../db/schema.ts';
import type { SectionService } from './sections.ts';
import type { FlowchartData } from '../../collab/schema/flowchart.ts';
import type { RiskLevel } from '../../collab/schema/risk-table.ts';
import { flowchartIdsOf, riskCounts, riskRowsOf } from '../../collab/schema/extract.ts';
import { renderFlowchartSvg, riskLevelsByStep } from '../../collab/schema/flowchart-svg.ts';

/**
 * 廉政风险分布图 of one section: its flowcharts drawn with risk badges, and the counts of its
 * risks by level and category. The SVG comes from the same renderer the editor uses read-only.
 */
export type SectionRiskMap = {
	id: string;
	title: string;
	svgs: string[];
	counts: ReturnType<typeof riskCounts>;
	highRisks: { point: string; form: string }[];
	/** Every risk point, for the supervision status beside the map. */
	risks: { rowId: string | null; point: string; level: RiskLevel | null }[];
};

/** The map of a section's content, live or frozen in an edition. */
export function riskMapOf(section: { id: string; title: string; content: unknown; flowcharts: Record<string, FlowchartData> }): SectionRiskMap {
	const rows = riskRowsOf(section.content);
	const levels = riskLevelsByStep(rows);
	const ids = flowchartIdsOf(section.content).filter((id) => section.flowcharts[id]);
	return {
		id: section.id,
		title: section.title,
		svgs: ids.map((id) => renderFlowchartSvg(section.flowcharts[id], levels)),
		counts: riskCounts(rows),
		highRisks: rows.filter((r) => r.level === 'high').map((r) => ({ point: r.cells.point ?? '', form: r.cells.form ?? '' })),
		risks: rows.filter((r) => r.cells.point?.trim()).map((r) => ({ rowId: r.id, point: r.cells.point, level: r.level }))
	};
}

export async function sectionRiskMap(sections: SectionService, section: Section): Promise<SectionRiskMap> {
	return riskMapOf({ id: section.id, title: section.title, ...(await sections.content(section)) });
}
