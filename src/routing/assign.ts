/**
 * Turns routing results into rows: one assignment per body (with the ruleset version, the rule id and
 * the reason), the appeal marked routed when an executive body is responsible (an appeal that sits in
 * the triage queue stays registered), and a `route` status event. Written by the caller in the same
 * transaction as the appeal itself.
 */
import type { IAppeal } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { deliveryRow } from '../delivery/outbox.js';
import type { RoutingResult } from '../domain/routing/router.js';
import type { RoutingInput } from '../domain/routing/types.js';
import type { NormalisedAppeal } from '../intake/normalise.js';
import type { ActiveRouting } from './active.js';

type Row = Record<string, unknown>;

export function routingInputOf(n: NormalisedAppeal, complaintAbout: string | null): RoutingInput {
  const a = n.appeal;
  return {
    topicCode: a.topicCode,
    territoryCode: a.territoryCode,
    kind: a.kind,
    source: a.source,
    authorCategories: a.applicant.categories,
    collective: a.subject === 'collective',
    summary: a.summary,
    complaintAbout,
    receivedAt: a.receivedAt,
  };
}

export function routingInputOfEntity(a: IAppeal): RoutingInput {
  return {
    topicCode: a.topicCode,
    territoryCode: a.territoryCode ?? null,
    kind: a.kind,
    source: a.source,
    authorCategories: a.applicant?.categories ?? [],
    collective: a.subject === 'collective',
    summary: a.summary,
    complaintAbout: a.complaintAbout?.code ?? null,
    receivedAt: a.receivedAt,
  };
}

export interface RoutedRows {
  assignments: Row[];
  /** Their outbox rows. */
  deliveries: Row[];
  /** The appeal's state after routing. */
  state: 'routed' | 'registered';
}

export function assignmentRows(
  appealId: string,
  result: RoutingResult,
  routing: ActiveRouting,
  now: Date,
  priority: boolean,
  ruleSetVersion: number | null = routing.version,
): RoutedRows {
  const deliveries: Row[] = [];
  const assignments = result.targets.map((t) => {
    const id = newId();
    const agencyId = routing.directory.idByCode.get(t.agencyCode) as string;
    deliveries.push(
      deliveryRow({
        assignmentId: id,
        appealId,
        agencyId,
        agencyCode: t.agencyCode,
        adapterKind: routing.directory.adapterByCode.get(t.agencyCode) ?? 'api',
        priority,
        now,
      }),
    );
    return {
      id,
      appeal: appealId,
      agency: agencyId,
      role: t.role,
      status: 'routed',
      ruleSetVersion,
      ruleId: result.ruleId,
      reason: result.reason,
      agencyRegNumber: null,
      returnedAt: null,
      returnReason: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  const responsible = result.targets.find((t) => t.role === 'responsible');
  const state =
    responsible && responsible.agencyCode !== routing.directory.triageCode ? 'routed' : 'registered';
  return { assignments, deliveries, state };
}
