/**
 * Routing by hand and after a return. An operator can re-route one appeal with a reason; a body can
 * return its copy as outside its competence, which re-routes the appeal by the rules (never back to a
 * body that returned it: those cases go to the triage queue) and starts the 5-day forward term of
 * Art. 7, tracked on the appeal until a competent body has it. Both are recorded: assignments keep
 * who and why, and a status event says what happened. The law holds by hand too: a complaint is never
 * routed to the body it challenges.
 */
import type { EntityManager } from '@mikro-orm/knex';
import {
  Appeal,
  Assignment,
  Delivery,
  type IAppeal,
  type IAssignment,
  StatusEvent,
} from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { cancelDelivery, deliveryRow, resendDelivery } from '../delivery/outbox.js';
import { DomainError } from '../domain/errors.js';
import { targetsText } from '../domain/routing/explain.js';
import { challengedBodyAmong, forwardDueAt, nameOf } from '../domain/routing/law.js';
import type { RoutingResult } from '../domain/routing/router.js';
import type { RoutedTarget } from '../domain/routing/types.js';
import { isOpen } from '../domain/status.js';
import type { RequestPrincipal } from '../graphql/context.js';
import { type ActiveRouting, activeRouting } from './active.js';
import { routingInputOfEntity } from './assign.js';

export const MANUAL_RULE_ID = 'manual';

const POPULATE = ['applicant', 'complaintAbout', 'assignments', 'assignments.agency'] as const;

function isActive(a: IAssignment): boolean {
  return a.status !== 'forwarded';
}

async function loadAppeal(em: EntityManager, id: string): Promise<IAppeal> {
  const appeal = await em.findOne(Appeal, { id }, { populate: POPULATE });
  if (!appeal) throw new DomainError('NOT_FOUND', `no appeal ${id}`, 'appealId');
  if (!isOpen(appeal.status)) {
    throw new DomainError(
      'APPEAL_CLOSED',
      `the appeal is ${appeal.status}; it can no longer be routed`,
      'appealId',
    );
  }
  return appeal;
}

/**
 * Makes `targets` the appeal's active assignments. A body that keeps its role keeps its copy as it is
 * (its progress and its delivery); a body taken off is forwarded and its copy, if not yet out, is
 * cancelled; a body given the appeal again or in another role gets its copy sent again.
 */
async function assign(
  em: EntityManager,
  appeal: IAppeal,
  routing: ActiveRouting,
  result: RoutingResult,
  ruleSetVersion: number | null,
  now: Date,
): Promise<void> {
  const existing = new Map(appeal.assignments.getItems().map((a) => [a.agency.code, a]));
  const wanted = new Map(result.targets.map((t) => [t.agencyCode, t.role]));
  for (const a of appeal.assignments.getItems()) {
    if (isActive(a) && wanted.get(a.agency.code) !== a.role) {
      em.assign(a, { status: 'forwarded', updatedAt: now });
      await cancelDelivery(em, a.id, now);
    }
  }
  for (const t of result.targets) {
    const agencyId = routing.directory.idByCode.get(t.agencyCode);
    if (!agencyId) throw new DomainError('UNKNOWN_AGENCY', `no body with EDRPOU code ${t.agencyCode}`);
    const adapterKind = routing.directory.adapterByCode.get(t.agencyCode) ?? 'api';
    const fields = {
      role: t.role,
      status: 'routed' as const,
      ruleSetVersion,
      ruleId: result.ruleId,
      reason: result.reason,
      // A copy taken up again starts afresh: not returned, no answer or extension from its earlier turn
      // (those stay in the appeal's history).
      returnedAt: null,
      returnReason: null,
      answerText: null,
      answeredAt: null,
      answerResult: null,
      extensionReason: null,
      updatedAt: now,
    };
    const row = existing.get(t.agencyCode);
    if (row && isActive(row) && row.role === t.role) {
      // Unchanged: its work and its delivery go on; only why it holds the appeal is new.
      em.assign(row, { ruleSetVersion, ruleId: result.ruleId, reason: result.reason, updatedAt: now });
      continue;
    }
    if (row) {
      em.assign(row, fields);
      await resendDelivery(em, row.id, adapterKind, now);
      continue;
    }
    const assignment = em.create(Assignment, {
      id: newId(),
      appeal,
      agency: agencyId,
      createdAt: now,
      ...fields,
    });
    // Its outbox row, in the same transaction.
    em.create(
      Delivery,
      deliveryRow({
        assignmentId: assignment.id,
        appealId: appeal.id,
        agencyId,
        agencyCode: t.agencyCode,
        adapterKind,
        priority: appeal.priority || appeal.urgent,
        now,
      }) as never,
    );
  }
  const responsible = result.targets.find((t) => t.role === 'responsible')?.agencyCode;
  const toBody = responsible !== undefined && responsible !== routing.directory.triageCode;
  if (toBody && appeal.forwardDueAt && !appeal.forwardedAt) appeal.forwardedAt = now;
  const from = appeal.status;
  if (toBody && from === 'registered') appeal.status = 'routed';
  em.create(StatusEvent, {
    id: newId(),
    appeal,
    assignment: null,
    origin: result.ruleId === MANUAL_RULE_ID ? 'operator' : 'gateway',
    event: 'route',
    fromState: from,
    state: appeal.status,
    result: null,
    note: result.reason,
    occurredAt: now,
    recordedAt: now,
    externalEventId: null,
  });
}

export interface RerouteInput {
  appealId: string;
  responsible: string;
  coExecutors?: string[] | null;
  forInformation?: string[] | null;
  reason: string;
}

export async function rerouteAppeal(
  em: EntityManager,
  input: RerouteInput,
  by: RequestPrincipal,
  now: Date,
): Promise<IAppeal> {
  const why = input.reason.trim();
  if (why.length < 5) {
    throw new DomainError(
      'REASON_REQUIRED',
      'say why the appeal is re-routed (5 characters or more)',
      'reason',
    );
  }
  return em.transactional(async (tx) => {
    const appeal = await loadAppeal(tx, input.appealId);
    const routing = await activeRouting(tx);
    const targets: RoutedTarget[] = [
      { agencyCode: input.responsible, role: 'responsible' },
      ...(input.coExecutors ?? []).map((c) => ({ agencyCode: c, role: 'co_executor' as const })),
      ...(input.forInformation ?? []).map((c) => ({ agencyCode: c, role: 'for_information' as const })),
    ];
    targets.forEach((t, i) => {
      if (!routing.directory.activeCodes.has(t.agencyCode)) {
        const field = i === 0 ? 'responsible' : t.role === 'co_executor' ? 'coExecutors' : 'forInformation';
        throw new DomainError('UNKNOWN_AGENCY', `no active body with EDRPOU code ${t.agencyCode}`, field);
      }
    });
    if (new Set(targets.map((t) => t.agencyCode)).size !== targets.length) {
      throw new DomainError('DUPLICATE_TARGET', 'each body can have one role only', 'coExecutors');
    }
    const challenged = challengedBodyAmong(routingInputOfEntity(appeal), targets);
    if (challenged) {
      throw new DomainError(
        'COMPLAINT_TO_CHALLENGED_BODY',
        `Art. 7: a complaint is never sent to the body whose actions it challenges (${nameOf(routing.directory.entries, challenged)}); send it to its parent body`,
        'responsible',
      );
    }
    const reason = `вручну (${by.name}): ${why} → ${targetsText(targets, routing.directory.entries)}`;
    await assign(tx, appeal, routing, { ruleId: MANUAL_RULE_ID, targets, reason }, null, now);
    return appeal;
  });
}

export async function returnAsNotCompetent(
  em: EntityManager,
  input: { assignmentId: string; reason: string },
  by: RequestPrincipal,
  now: Date,
): Promise<IAppeal> {
  const why = input.reason.trim();
  if (why.length < 5) {
    throw new DomainError('REASON_REQUIRED', 'say why the appeal is outside the body’s competence', 'reason');
  }
  return em.transactional(async (tx) => {
    const assignment = await tx.findOne(
      Assignment,
      { id: input.assignmentId },
      { populate: ['agency', 'appeal'] },
    );
    if (!assignment)
      throw new DomainError('NOT_FOUND', `no assignment ${input.assignmentId}`, 'assignmentId');
    if (by.role === 'agency' && by.agencyId !== assignment.agency.id) {
      // Another body's copy: as if it did not exist.
      throw new DomainError('NOT_FOUND', `no assignment ${input.assignmentId}`, 'assignmentId');
    }
    if (!isActive(assignment)) {
      throw new DomainError('ASSIGNMENT_CLOSED', 'this copy has already left the body', 'assignmentId');
    }
    const appeal = await loadAppeal(tx, assignment.appeal.id);
    const body = assignment.agency;
    const fromState = assignment.status;
    tx.assign(assignment, { returnedAt: now, returnReason: why, status: 'forwarded', updatedAt: now });
    await cancelDelivery(tx, assignment.id, now);
    tx.create(StatusEvent, {
      id: newId(),
      appeal,
      assignment,
      origin: by.role === 'agency' ? 'agency' : 'operator',
      event: 'forward',
      fromState,
      state: 'forwarded',
      result: null,
      note: `не в компетенції (${body.shortName ?? body.name}): ${why}`,
      occurredAt: now,
      recordedAt: now,
      externalEventId: null,
    });
    if (assignment.role !== 'responsible') return appeal;

    appeal.forwardDueAt = forwardDueAt(now);
    appeal.forwardedAt = null;
    const routing = await activeRouting(tx);
    const returned = new Set(
      appeal.assignments
        .getItems()
        .filter((a) => a.returnedAt != null)
        .map((a) => a.agency.code),
    );
    const byRules = routing.route(routingInputOfEntity(appeal));
    const again = byRules?.targets.find((t) => t.role === 'responsible')?.agencyCode;
    const returnedNote = `повернуто органом ${body.shortName ?? body.name} як не в компетенції`;
    let result: RoutingResult;
    if (byRules && again && !returned.has(again)) {
      // A body that returned the appeal gets no copy in any role.
      const targets = byRules.targets.filter((t) => !returned.has(t.agencyCode));
      result = { ...byRules, targets, reason: `${byRules.reason}; ${returnedNote}` };
    } else {
      const queue = routing.directory.triageCode;
      if (!queue) throw new DomainError('NO_TRIAGE_QUEUE', 'the directory has no contact-center queue');
      result = {
        ruleId: byRules?.ruleId ?? 'default',
        targets: [{ agencyCode: queue, role: 'responsible' }],
        reason: `${returnedNote}; правила знову вказують на орган, що повернув звернення → ${nameOf(routing.directory.entries, queue)}: переслати вручну до ${appeal.forwardDueAt.toISOString()}`,
      };
    }
    await assign(tx, appeal, routing, result, routing.version, now);
    return appeal;
  });
}

/** Appeals returned as not competent and not yet with a competent body, soonest due first. */
export async function pendingForwards(em: EntityManager, opts: { overdueOnly: boolean }, now: Date) {
  return em.find(
    Appeal,
    {
      forwardDueAt: opts.overdueOnly ? { $ne: null, $lt: now } : { $ne: null },
      forwardedAt: null,
    },
    { orderBy: { forwardDueAt: 'asc', id: 'asc' }, limit: 500 },
  );
}
