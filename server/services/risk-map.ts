import type { Section } from '../db/schema.ts';
import type { SectionService } from './sections.ts';
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
};

export async function sectionRiskMap(sections: SectionService, section: Section): Promise<SectionRiskMap> {
	const { content, flowcharts } = await sections.content(section);
	const rows = riskRowsOf(content);
	const levels = riskLevelsByStep(rows);
	const ids = flowchartIdsOf(content).filter((id) => flowcharts[id]);
	return {
		id: section.id,
		title: section.title,
		svgs: ids.map((id) => renderFlowchartSvg(flowcharts[id], levels)),
		counts: riskCounts(rows),
		highRisks: rows.filter((r) => r.level === 'high').map((r) => ({ point: r.cells.point ?? '', form: r.cells.form ?? '' }))
	};
}
