import { z } from 'zod';
import { PHASES } from '../db/schema.ts';
import { RISK_LEVELS } from '../../collab/schema/risk-table.ts';

/** Request bodies of the review workflow (DESIGN.md §3.1), with the Chinese message for each refusal. */

const DATE = z
	.string({ message: '请填写日期。' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD。')
	.refine((d) => !Number.isNaN(Date.parse(d)), '日期无效。');
const note = z.string().trim().max(2000, '说明最多 2000 个字。');

export const PhaseInput = z.object({ phase: z.enum(PHASES, { message: '阶段无效，应为 self_check、assessment 或 improvement。' }) });

export const DeadlinesInput = z.object({
	deadlines: z.object({ self_check: DATE.nullish(), assessment: DATE.nullish(), improvement: DATE.nullish() }, { message: '请提供各阶段的截止日期。' })
});
export type Deadlines = Partial<Record<(typeof PHASES)[number], string | null>>;

export const TransitionInput = z.object({
	action: z.enum(['submit', 'return', 'accept'], { message: '操作无效，应为 submit、return 或 accept。' }),
	note: note.optional()
});
export type TransitionInput = z.infer<typeof TransitionInput>;

export const GradeInput = z.object({
	level: z.enum(RISK_LEVELS, { message: '风险等级应为 high、medium 或 low。' }),
	reason: z.string({ message: '请填写评定理由。' }).trim().min(1, '请填写评定理由。').max(2000, '评定理由最多 2000 个字。')
});

export const ApprovalInput = z.object({
	unitId: z.string({ message: '请选择单位。' }).min(1, '请选择单位。'),
	meetingDate: DATE,
	attendees: z
		.array(z.string().trim().min(1, '参会人员姓名不能为空。').max(40, '参会人员姓名过长。'), { message: '请填写参会人员。' })
		.min(1, '请至少填写一名参会人员。')
		.max(60, '参会人员最多 60 人。'),
	decision: z.string({ message: '请填写审定意见。' }).trim().min(1, '请填写审定意见。').max(4000, '审定意见最多 4000 个字。'),
	attachment: z.string().trim().max(200, '附件名称最多 200 个字。').nullish()
});
export type ApprovalInput = z.infer<typeof ApprovalInput>;

export const DecisionInput = z.object({
	meetingDate: DATE,
	decision: z.string({ message: '请填写研究决定。' }).trim().min(1, '请填写研究决定。').max(4000, '研究决定最多 4000 个字。')
});
export type DecisionInput = z.infer<typeof DecisionInput>;
