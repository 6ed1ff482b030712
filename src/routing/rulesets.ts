/**
 * The ruleset lifecycle: draft → validate → dry run → publish. Drafts are stored only when valid and
 * can be replaced until published; publishing retires the live version and makes the draft live in
 * one transaction (a partial unique index lets the database hold at most one published row), and no
 * version changes afterwards. A dry run replays recent appeals through a draft and lists what would
 * change against the assignments they have.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { type AppealFilter, buildAppealWhere, selectAppeals } from '../appeals/find-appeals.js';
import { Appeal, type IAppeal, type IRuleSet, RuleSet } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { sqlReader } from '../db/reader.js';
import { DomainError } from '../domain/errors.js';
import type { RuleSetDocument } from '../domain/routing/types.js';
import type { RuleSetProblem } from '../domain/routing/validate.js';
import { buildRouting } from './active.js';
import { routingInputOfEntity } from './assign.js';
import { loadDirectory } from './directory.js';
import { validateRuleSetDocument } from './validate-document.js';

export class RuleSetInvalidError extends DomainError {
  constructor(readonly problems: RuleSetProblem[]) {
    super(
      'RULESET_INVALID',
      `the ruleset has ${problems.length} problem(s): ${problems
        .slice(0, 3)
        .map((p) => `${p.pointer} ${p.code}`)
        .join('; ')}${problems.length > 3 ? '; …' : ''}`,
      problems[0]?.pointer,
    );
  }
}

export async function validateRuleSet(em: EntityManager, doc: unknown): Promise<RuleSetProblem[]> {
  return validateRuleSetDocument(doc, await loadDirectory(em)).problems;
}

async function validOrThrow(em: EntityManager, doc: unknown): Promise<RuleSetDocument> {
  const { document, problems } = validateRuleSetDocument(doc, await loadDirectory(em));
  if (!document || problems.length) throw new RuleSetInvalidError(problems);
  return document;
}

/** Stores a new draft, or replaces the document of draft `version`. */
export async function saveDraft(
  em: EntityManager,
  doc: unknown,
  by: string,
  now: Date,
  version?: number | null,
): Promise<IRuleSet> {
  const document = await validOrThrow(em, doc);
  return em.transactional(async (tx) => {
    if (version != null) {
      const draft = await tx.findOne(RuleSet, { version });
      if (!draft) throw new DomainError('RULESET_NOT_FOUND', `no ruleset version ${version}`, 'version');
      if (draft.state !== 'draft') {
        throw new DomainError(
          'RULESET_NOT_DRAFT',
          `version ${version} is ${draft.state}; published and retired versions never change — save a new draft`,
          'version',
        );
      }
      tx.assign(draft, { document, name: document.name, updatedAt: now, createdBy: draft.createdBy ?? by });
      return draft;
    }
    const [last] = await tx.find(
      RuleSet,
      {},
      { orderBy: { version: 'desc' }, fields: ['version'], limit: 1 },
    );
    return tx.create(RuleSet, {
      id: newId(),
      version: (last?.version ?? 0) + 1,
      state: 'draft',
      name: document.name,
      document,
      createdAt: now,
      createdBy: by,
      updatedAt: now,
      publishedAt: null,
      publishedBy: null,
      retiredAt: null,
    });
  });
}

/** Makes draft `version` the live ruleset; the previous one is retired in the same transaction. */
export async function publish(em: EntityManager, version: number, by: string, now: Date): Promise<IRuleSet> {
  return em.transactional(async (tx) => {
    const draft = await tx.findOne(RuleSet, { version });
    if (!draft) throw new DomainError('RULESET_NOT_FOUND', `no ruleset version ${version}`, 'version');
    if (draft.state !== 'draft') {
      throw new DomainError(
        'RULESET_NOT_DRAFT',
        `version ${version} is ${draft.state}, not a draft`,
        'version',
      );
    }
    // The directory may have changed since the draft was saved.
    await validOrThrow(tx, draft.document);
    // Retire first: the database refuses a second published row.
    await tx.nativeUpdate(
      RuleSet,
      { state: 'published' },
      { state: 'retired', retiredAt: now, updatedAt: now },
    );
    await tx.nativeUpdate(
      RuleSet,
      { id: draft.id, state: 'draft' },
      { state: 'published', publishedAt: now, publishedBy: by, updatedAt: now },
    );
    tx.clear();
    return tx.findOneOrFail(RuleSet, { id: draft.id });
  });
}

export async function history(em: EntityManager): Promise<IRuleSet[]> {
  return em.find(RuleSet, {}, { orderBy: { version: 'desc' } });
}

export interface DryRunChange {
  appeal: IAppeal;
  beforeAgencyCode: string | null;
  beforeRuleId: string | null;
  beforeVersion: number | null;
  afterAgencyCode: string | null;
  afterRuleId: string;
  afterReason: string;
}

export interface DryRunReport {
  version: number;
  examined: number;
  changed: number;
  changes: DryRunChange[];
}

export const DRY_RUN_MAX = 5_000;

/** Replays the `last` appeals matching `filter` through draft (or any) version `version`. */
export async function dryRun(
  em: EntityManager,
  version: number,
  opts: { last: number; filter?: AppealFilter; maxChanges?: number },
  now: Date,
): Promise<DryRunReport> {
  const rs = await em.findOne(RuleSet, { version });
  if (!rs) throw new DomainError('RULESET_NOT_FOUND', `no ruleset version ${version}`, 'version');
  if (!Number.isInteger(opts.last) || opts.last < 1 || opts.last > DRY_RUN_MAX) {
    throw new DomainError('INVALID_LIMIT', `last must be between 1 and ${DRY_RUN_MAX}`, 'last');
  }
  const directory = await loadDirectory(em);
  const routing = buildRouting(rs.version, rs.document, directory);
  // Which appeals, by the API's own filter (staff: no body's scope); then those as entities.
  const reader = sqlReader(em);
  const where = await buildAppealWhere(reader, opts.filter ?? {}, now, null);
  const ids = (await selectAppeals(reader, where, opts.last, 'newest', null, new Set(['id']))).map(
    (a) => a.id,
  );
  const appeals = ids.length
    ? await em.find(
        Appeal,
        { id: { $in: ids } },
        {
          orderBy: { receivedAt: 'desc', id: 'desc' },
          populate: ['applicant', 'complaintAbout', 'assignments', 'assignments.agency'],
        },
      )
    : [];
  const changes: DryRunChange[] = [];
  let changed = 0;
  for (const appeal of appeals) {
    const current = appeal.assignments
      .getItems()
      .find((a) => a.role === 'responsible' && a.status !== 'forwarded' && a.returnedAt == null);
    const after = routing.route(routingInputOfEntity(appeal));
    const afterCode = after?.targets.find((t) => t.role === 'responsible')?.agencyCode ?? null;
    const beforeCode = current?.agency.code ?? null;
    if (afterCode === beforeCode && (after?.ruleId ?? null) === (current?.ruleId ?? null)) continue;
    changed++;
    if (changes.length < (opts.maxChanges ?? 500)) {
      changes.push({
        appeal,
        beforeAgencyCode: beforeCode,
        beforeRuleId: current?.ruleId ?? null,
        beforeVersion: current?.ruleSetVersion ?? null,
        afterAgencyCode: afterCode,
        afterRuleId: after?.ruleId ?? '',
        afterReason: after?.reason ?? 'нікуди: немає черги сортування',
      });
    }
  }
  return { version, examined: appeals.length, changed, changes };
}
