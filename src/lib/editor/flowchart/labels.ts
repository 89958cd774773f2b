import type { AriaLabelConfig } from '@xyflow/svelte';
import type { StepKind } from '#collab/schema/flowchart.ts';

/**
 * Every text of the flowchart editor, in one place. The flowchart is document content of a
 * Chinese manual, so its UI speaks Chinese (DESIGN.md §2 allows it inside this block).
 */
export const FLOWCHART_LABELS = {
	region: '权力运行流程图编辑器',
	toolbar: '流程图工具',
	addStep: '添加步骤',
	addStepTitle: '添加一个步骤（选中某步骤时接在其后）；也可双击空白处添加',
	remove: '删除',
	removeTitle: '删除选中的步骤或连线（Delete 键）',
	autoLayout: '自动排列',
	autoLayoutTitle: '按流程自上而下自动排列全部步骤',
	undo: '撤销',
	undoTitle: '撤销流程图的修改（Ctrl+Z）',
	redo: '重做',
	redoTitle: '重做（Ctrl+Shift+Z）',
	fit: '适应画面',
	fitTitle: '缩放到能看到全部步骤',
	newStep: '新步骤',
	hint: '双击空白处添加步骤；从步骤边缘的圆点拖到另一步骤即可连线；选中后按 Delete 删除。',
	panelStep: '步骤属性',
	panelEdge: '连线属性',
	panelNone: '选中一个步骤或连线，在此编辑其属性。',
	panelMany: (n: number) => `已选中 ${n} 项，可一并删除或拖动。`,
	label: '名称',
	kind: '类型',
	post: '责任岗位',
	limitDays: '时限（工作日）',
	limitPlaceholder: '不限',
	risk: '廉政风险点',
	control: '关节点',
	duty: '监管职责',
	dutyPlaceholder: '关节点的监督管理职责',
	edgeLabel: '连线说明',
	edgeLabelPlaceholder: '如：材料不全、审查通过',
	edgeFrom: (a: string, b: string) => `${a} → ${b}`,
	level: '风险等级',
	levelNone: '未定级（防控表中尚无关联且定级的风险）',
	showRows: '查看防控表中的风险',
	emptyTitle: '尚无流程图数据',
	create: '新建流程图',
	readonlyAria: '权力运行流程图（只读）',
	badgeTitle: '查看关联的廉政风险'
} as const;

export const KIND_LABELS: Record<StepKind, string> = {
	start: '开始',
	step: '办理环节',
	decision: '审批决定/判断',
	end: '结束'
};

/** Svelte Flow's own screen-reader texts and control titles. */
export const ARIA_LABELS: Partial<AriaLabelConfig> = {
	'node.a11yDescription.default': '按回车键或空格键选中步骤，按 Delete 键删除，按 Esc 键取消。',
	'node.a11yDescription.keyboardDisabled': '按回车键或空格键选中步骤，再用方向键移动，按 Delete 键删除，按 Esc 键取消。',
	'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) => `已移动选中的步骤（${direction}），新位置 x：${x}，y：${y}`,
	'edge.a11yDescription.default': '按回车键或空格键选中连线，按 Delete 键删除，按 Esc 键取消。',
	'controls.ariaLabel': '缩放控制',
	'controls.zoomIn.ariaLabel': '放大',
	'controls.zoomOut.ariaLabel': '缩小',
	'controls.fitView.ariaLabel': '适应画面',
	'controls.interactive.ariaLabel': '锁定/解锁编辑',
	'minimap.ariaLabel': '缩略图',
	'handle.ariaLabel': '连接点'
};
