import { AppError, forbidden } from '../errors.ts';
import type { Phase, SectionState } from '../db/schema.ts';
import type { Decision, Refusal, SectionAction } from './index.ts';
import { PHASE_LABEL, STATE_LABEL } from '../workflow/states.ts';

/**
 * A refused section action as the error a client gets: who may never (403), not now (409).
 * The Chinese messages are also what the UI shows beside a disabled control.
 */

const ROLE_MESSAGE: Record<SectionAction, string> = {
	read: '该章节尚未发布，您暂无权查看。',
	write: '您的角色不能编辑章节正文。',
	comment: '您的角色不能发表意见。',
	grade: '只有评估专家和纪检监察部门可以评定风险等级。',
	submit: '只有本单位负责人可以报送章节。',
	return: '只有纪检监察部门可以退回章节。',
	accept: '只有纪检监察部门可以通过审核。'
};

const VERB: Record<SectionAction, string> = {
	read: '查看',
	write: '编辑',
	comment: '发表意见',
	grade: '评定风险等级',
	submit: '报送',
	return: '退回',
	accept: '通过审核'
};

/** Why the section is read-only for this person, in words (or null when they may write). */
export function readOnlyReason(write: Decision, state: SectionState, phase: Phase): string | null {
	if (write.allowed) return null;
	return refusalMessage('write', write.reason, state, phase);
}

export function refusalMessage(action: SectionAction, reason: Refusal, state: SectionState, phase: Phase): string {
	switch (reason) {
		case 'role':
			return ROLE_MESSAGE[action];
		case 'unit':
			return action === 'write' ? '这是其他单位的章节，您只能查看和发表意见。' : `只能${VERB[action]}本单位的章节。`;
		case 'phase':
			return `当前阶段（${PHASE_LABEL[phase]}）不能${VERB[action]}。`;
		case 'state':
			if (action === 'write')
				return (
					{
						submitted: '已报送，等待审核，暂不能编辑。',
						accepted: '已通过审核，暂不能编辑。',
						published: '已发布，内容已定稿。如需修改，请由纪检监察部门开启修订。'
					} as Partial<Record<SectionState, string>>
				)[state] ?? `当前状态（${STATE_LABEL[state]}）不能编辑。`;
			return `章节当前状态为“${STATE_LABEL[state]}”，不能${VERB[action]}。`;
	}
}

export function refusalError(action: SectionAction, decision: Decision, state: SectionState, phase: Phase): AppError | null {
	if (decision.allowed) return null;
	const message = refusalMessage(action, decision.reason, state, phase);
	if (decision.reason === 'role' || decision.reason === 'unit') return forbidden(message);
	if (decision.reason === 'phase') return new AppError('wrong_phase', message);
	return new AppError(['submit', 'return', 'accept'].includes(action) ? 'invalid_transition' : 'conflict', message);
}
