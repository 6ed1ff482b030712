import type { EntityManager } from '@mikro-orm/core';
import type { AssignmentRole } from '../../src/db/entities/assignment.js';
import type { IAppeal } from '../../src/db/entities/index.js';
import { Agency, Appeal, Applicant, Assignment } from '../../src/db/entities/index.js';
import { computeDueAt } from '../../src/domain/deadline.js';
import type { AppealState } from '../../src/domain/status.js';

export interface AppealSeed {
  externalId?: string;
  receivedAt: string;
  topicCode?: string;
  territoryCode?: string | null;
  status?: AppealState;
  kind?: IAppeal['kind'];
  summary?: string;
  lastName?: string;
  /** [agency code, role] pairs. */
  assignedTo?: [string, AssignmentRole][];
}

/**
 * Stores appeals as intake would leave them (intake itself comes with its own issue), with
 * realistic Ukrainian content and the law's deadline.
 */
export async function storeAppeals(em: EntityManager, seeds: AppealSeed[]): Promise<IAppeal[]> {
  const out: IAppeal[] = [];
  for (const [i, s] of seeds.entries()) {
    const receivedAt = new Date(s.receivedAt);
    const applicant = em.create(Applicant, {
      id: crypto.randomUUID(),
      lastName: s.lastName ?? 'Шевченко',
      firstName: 'Олена',
      patronymic: 'Петрівна',
      phone: '+380671234567',
      email: null,
      address: 'м. Запоріжжя, вул. Соборна, 12, кв. 5',
      categories: ['7.5'],
      socialStatus: '8.1',
      sex: 'female',
      nonDisclosure: false,
      coAuthors: [],
      identityKey: null,
    });
    const appeal = em.create(Appeal, {
      id: crypto.randomUUID(),
      registrationNumber: null,
      source: 'gov_hotline_1545',
      externalId: s.externalId ?? `UCC-2026-${String(i + 1).padStart(6, '0')}`,
      receivedAt,
      kind: s.kind ?? 'application',
      subject: 'individual',
      receiptSign: 'primary',
      receiptForm: 'phone',
      topicCode: s.topicCode ?? '006.01',
      territoryCode: s.territoryCode === undefined ? 'UA23060070010069526' : s.territoryCode,
      summary:
        s.summary ?? 'Прошу надати роз’яснення щодо призначення житлової субсидії на опалювальний сезон.',
      applicant,
      priority: true,
      status: s.status ?? 'routed',
      dueAt: computeDueAt(receivedAt, 'general'),
      result: null,
      flags: [],
      duplicateOf: null,
      repeatOf: null,
      massOf: null,
      textFingerprint: null,
      directLineSession: null,
      directLineAgency: null,
      directLineOfficial: null,
      origin: {},
    });
    for (const [code, role] of s.assignedTo ?? []) {
      const agency = await em.findOneOrFail(Agency, { code });
      em.create(Assignment, {
        id: crypto.randomUUID(),
        appeal,
        agency,
        role,
        status: s.status ?? 'routed',
        ruleSetVersion: 1,
        ruleId: 'test',
        reason: `тест → ${agency.shortName}`,
        agencyRegNumber: null,
      });
    }
    out.push(appeal);
  }
  await em.flush();
  return out;
}
