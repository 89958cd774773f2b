import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { Phase } from '../db/schema.ts';
import { forbidden } from '../errors.ts';
import { MANUAL_RULES, policies } from '../policies/index.ts';
import { usersWithRoles } from '../inbox/audience.ts';
import { notify } from '../inbox/notifications.ts';
import { PHASE_LABEL } from '../workflow/states.ts';
import type { Deadlines } from '../workflow/inputs.ts';

/**
 * Opens a phase of the campaign for a manual. Everyone taking part hears of it, and every open
 * editor of the manual re-authenticates, since what they may do can change with the phase.
 */
export async function setPhase(s: Services, actor: SessionUser, manualId: string, phase: Phase) {
	if (!policies.setPhase(actor)) throw forbidden('只有纪检监察部门可以推进阶段。');
	const manual = await s.manuals.get(manualId);
	if (manual.phase === phase) return { id: manual.id, phase };
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx.updateTable('manuals').set({ phase, phase_changed_at: Date.now() }).where('id', '=', manualId).execute();
		// Those who take part in the campaign; readers only hear of published editions.
		return notify(
			trx,
			await usersWithRoles(trx, [...MANUAL_RULES.viewProgress]),
			{ kind: 'phase', text: `《${manual.title}》进入${PHASE_LABEL[phase]}阶段。`, manualId, actorId: actor.id }
		);
	});
	const docs = await s.db.selectFrom('sections').select('doc').where('manual_id', '=', manualId).execute();
	for (const { doc } of docs) s.collab.connections.reauthenticateDoc(doc);
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId });
	return { id: manualId, phase };
}

export async function setDeadlines(s: Services, actor: SessionUser, manualId: string, deadlines: Deadlines) {
	if (!policies.setPhase(actor)) throw forbidden('只有纪检监察部门可以修改阶段截止日期。');
	await s.manuals.get(manualId);
	const clean = Object.fromEntries(Object.entries(deadlines).filter(([, v]) => !!v));
	await s.db.updateTable('manuals').set({ deadlines: JSON.stringify(clean) }).where('id', '=', manualId).execute();
	s.bus.send('everyone', { type: 'manual', manualId });
	return clean;
}
