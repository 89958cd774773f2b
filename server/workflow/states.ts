import type { Phase, SectionState } from '../db/schema.ts';

/**
 * The section state machine. Which states an action may start from, and who may take it, is in
 * server/policies (SECTION_RULES); this is where each action leads.
 */
export const TRANSITION_TO = { submit: 'submitted', return: 'returned', accept: 'accepted' } as const satisfies Record<string, SectionState>;
export type TransitionAction = keyof typeof TRANSITION_TO;

export const STATE_LABEL: Record<SectionState, string> = {
	draft: '编写中',
	submitted: '已报送',
	returned: '已退回修改',
	accepted: '已通过审核',
	published: '已发布'
};

export const PHASE_LABEL: Record<Phase, string> = {
	self_check: '自排自查',
	assessment: '考核评估',
	improvement: '完善提高'
};

export const ACTION_LABEL: Record<string, string> = {
	submit: '报送',
	return: '退回修改',
	accept: '通过审核',
	grade: '评定风险等级',
	comment: '发表意见',
	reply: '回复意见',
	resolve: '意见已解决',
	reopen: '重新打开意见',
	publish: '发布',
	revise: '开启修订'
};
