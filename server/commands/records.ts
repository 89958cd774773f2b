import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { badRequest, forbidden } from '../errors.ts';
import { policies } from '../policies/index.ts';
import { notify } from '../inbox/notifications.ts';
import { reviewers, usersWithRoles } from '../inbox/audience.ts';
import type { ApprovalInput, DecisionInput } from '../workflow/inputs.ts';
import { MANUAL_RULES } from '../policies/index.ts';

/** 集体审定 and 党组研究: the two approvals the plan requires before the manual is compiled. */

export async function recordApproval(s: Services, actor: SessionUser, manualId: string, input: ApprovalInput) {
	const manual = await s.manuals.get(manualId);
	const inManual = await s.db.selectFrom('manual_units').innerJoin('units', 'units.id', 'manual_units.unit_id').select(['units.id', 'units.name']).where('manual_id', '=', manualId).where('unit_id', '=', input.unitId).executeTakeFirst();
	if (!inManual) throw badRequest('该单位不在本手册中。');
	if (!policies.recordApproval(actor, input.unitId)) throw forbidden('集体审定只能由本单位负责人记录。');
	const id = crypto.randomUUID();
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('approvals')
			.values({
				id,
				manual_id: manualId,
				unit_id: input.unitId,
				meeting_date: input.meetingDate,
				attendees: JSON.stringify(input.attendees),
				decision: input.decision,
				attachment: input.attachment ?? null,
				user_id: actor.id,
				at: Date.now()
			})
			.execute();
		return notify(trx, await reviewers(trx, 'accept'), {
			kind: 'approval',
			text: `${inManual.name}记录了领导班子集体审定（${input.meetingDate}）。`,
			manualId,
			ref: id,
			actorId: actor.id
		});
	});
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId: manual.id });
	return { id };
}

export async function recordDecision(s: Services, actor: SessionUser, manualId: string, input: DecisionInput) {
	if (!policies.recordDecision(actor)) throw forbidden('党组研究决定只能由党组记录。');
	const manual = await s.manuals.get(manualId);
	const id = crypto.randomUUID();
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('decisions')
			.values({ id, manual_id: manualId, meeting_date: input.meetingDate, decision: input.decision, user_id: actor.id, at: Date.now() })
			.execute();
		return notify(trx, await usersWithRoles(trx, [...MANUAL_RULES.setPhase]), {
			kind: 'decision',
			text: `党组已记录对《${manual.title}》的研究决定（${input.meetingDate}）。`,
			manualId,
			ref: id,
			actorId: actor.id
		});
	});
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId });
	return { id };
}

export async function manualRecords(s: Services, manualId: string) {
	const approvals = await s.db
		.selectFrom('approvals')
		.innerJoin('users', 'users.id', 'approvals.user_id')
		.innerJoin('units', 'units.id', 'approvals.unit_id')
		.select(['approvals.id', 'approvals.unit_id as unitId', 'units.name as unitName', 'approvals.meeting_date as meetingDate', 'approvals.attendees', 'approvals.decision', 'approvals.attachment', 'approvals.at', 'users.id as userId', 'users.username', 'users.display_name as displayName'])
		.where('approvals.manual_id', '=', manualId)
		.orderBy('approvals.at')
		.execute();
	const decisions = await s.db
		.selectFrom('decisions')
		.innerJoin('users', 'users.id', 'decisions.user_id')
		.select(['decisions.id', 'decisions.meeting_date as meetingDate', 'decisions.decision', 'decisions.at', 'users.id as userId', 'users.username', 'users.display_name as displayName'])
		.where('decisions.manual_id', '=', manualId)
		.orderBy('decisions.at')
		.execute();
	return { approvals, decisions };
}
