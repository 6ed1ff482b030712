/**
 * A dispatcher round's deliveries, read with two plain queries (the rows with their body, assignment,
 * appeal and applicant; then the appeals' files) instead of hydrating entities: for a round of
 * hundreds of deliveries, building the entity graph cost more than forwarding them.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { AdapterKind } from '../db/entities/agency.js';
import { selectRows } from '../db/knex-query.js';
import type { AppealKind, AppealSubject, SourceLine } from '../domain/appeal.js';
import type { AppealState } from '../domain/status.js';
import type { PayloadSource } from './payload.js';

export interface LoadedDelivery {
  id: string;
  idempotencyKey: string;
  adapterKind: AdapterKind;
  outages: number;
  tryingSince: Date;
  agency: {
    id: string;
    code: string;
    name: string;
    shortName: string | null;
    adapterSettings: Record<string, unknown>;
  };
  assignment: {
    id: string;
    role: 'responsible' | 'co_executor' | 'for_information';
    status: AppealState;
    reason: string | null;
    ruleId: string | null;
    ruleSetVersion: number | null;
  };
  appeal: PayloadSource['appeal'];
  applicant: PayloadSource['applicant'];
  attachments: PayloadSource['attachments'];
}

type Raw = Record<string, unknown>;

/** Values as the two drivers return them: SQLite gives epoch milliseconds, 0/1 and JSON text. */
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(typeof v === 'string' ? v : Number(v)));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function loadDeliveries(em: EntityManager, ids: string[]): Promise<Map<string, LoadedDelivery>> {
  const out = new Map<string, LoadedDelivery>();
  if (!ids.length) return out;
  const knex = em.getKnex();
  const rows = await selectRows<Raw>(
    em,
    knex('delivery as d')
      .join('agency as g', 'g.id', 'd.agency_id')
      .join('assignment as s', 's.id', 'd.assignment_id')
      .join('appeal as a', 'a.id', 'd.appeal_id')
      .leftJoin('applicant as p', 'p.id', 'a.applicant_id')
      .select('d.id', 'd.idempotency_key', 'd.adapter_kind', 'd.outages', 'd.trying_since')
      .select({
        agency_id: 'g.id',
        agency_code: 'g.code',
        agency_name: 'g.name',
        agency_short_name: 'g.short_name',
      })
      .select('g.adapter_settings', { agency_adapter_kind: 'g.adapter_kind' })
      .select({ assignment_id: 's.id', assignment_status: 's.status' })
      .select('s.role', 's.reason', 's.rule_id', 's.rule_set_version')
      .select({ appeal_id: 'a.id' })
      .select('a.registration_number', 'a.source', 'a.external_id', 'a.received_at', 'a.due_at', 'a.kind')
      .select('a.subject', 'a.topic_code', 'a.territory_code', 'a.summary', 'a.urgent', 'a.priority')
      .select({ applicant_id: 'p.id' })
      .select(
        'p.last_name',
        'p.first_name',
        'p.patronymic',
        'p.phone',
        'p.email',
        'p.address',
        'p.categories',
      )
      .select('p.social_status', 'p.sex', 'p.non_disclosure', 'p.co_authors')
      .whereIn('d.id', ids),
  );
  const appealIds = [...new Set(rows.map((r) => String(r.appeal_id)))];
  const files = await selectRows<Raw>(
    em,
    knex('attachment')
      .select('appeal_id', 'file_name', 'mime_type', 'content')
      .whereIn('appeal_id', appealIds),
  );
  const filesOf = new Map<string, PayloadSource['attachments']>();
  for (const f of files) {
    const list = filesOf.get(String(f.appeal_id)) ?? [];
    list.push({
      fileName: String(f.file_name),
      mimeType: String(f.mime_type),
      content: f.content as Uint8Array,
    });
    filesOf.set(String(f.appeal_id), list);
  }
  for (const r of rows) {
    const appealId = String(r.appeal_id);
    out.set(String(r.id), {
      id: String(r.id),
      idempotencyKey: String(r.idempotency_key),
      // How the body is reached now (its adapter may have changed since the row was written).
      adapterKind: r.agency_adapter_kind as AdapterKind,
      outages: Number(r.outages),
      tryingSince: date(r.trying_since),
      agency: {
        id: String(r.agency_id),
        code: String(r.agency_code),
        name: String(r.agency_name),
        shortName: str(r.agency_short_name),
        adapterSettings: json<Record<string, unknown>>(r.adapter_settings) ?? {},
      },
      assignment: {
        id: String(r.assignment_id),
        role: r.role as LoadedDelivery['assignment']['role'],
        status: r.assignment_status as AppealState,
        reason: str(r.reason),
        ruleId: str(r.rule_id),
        ruleSetVersion: r.rule_set_version === null ? null : Number(r.rule_set_version),
      },
      appeal: {
        id: appealId,
        registrationNumber: str(r.registration_number),
        source: r.source as SourceLine,
        externalId: str(r.external_id),
        receivedAt: date(r.received_at),
        dueAt: date(r.due_at),
        kind: r.kind as AppealKind,
        subject: r.subject as AppealSubject,
        topicCode: String(r.topic_code),
        territoryCode: str(r.territory_code),
        summary: String(r.summary ?? ''),
        urgent: bool(r.urgent),
        priority: bool(r.priority),
      },
      applicant:
        r.applicant_id === null || r.applicant_id === undefined
          ? null
          : {
              lastName: str(r.last_name),
              firstName: str(r.first_name),
              patronymic: str(r.patronymic),
              phone: str(r.phone),
              email: str(r.email),
              address: str(r.address),
              categories: json<string[]>(r.categories) ?? [],
              socialStatus: str(r.social_status),
              sex: (str(r.sex) as 'male' | 'female' | null) ?? null,
              nonDisclosure: bool(r.non_disclosure),
              coAuthors: json<NonNullable<PayloadSource['applicant']>['coAuthors']>(r.co_authors) ?? [],
            },
      attachments: filesOf.get(appealId) ?? [],
    });
  }
  return out;
}
