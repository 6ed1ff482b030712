/**
 * The intake's own bulk INSERT (bound parameters, straight to the driver) must store exactly what
 * MikroORM's insertMany stores: the same rows read back through the ORM, field by field, on both
 * databases — dates, booleans, JSON columns, nulls, attachment bytes and Cyrillic text included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Collection, ScalarReference, UniqueConstraintViolationException, Utils } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bulkInsert } from '../src/db/bulk-insert.js';
import { Appeal, Applicant, Attachment, StatusEvent } from '../src/db/entities/index.js';
import { newId } from '../src/db/ids.js';
import { migrate, type Orm, openOrm } from '../src/db/orm.js';
import { readGovLineDocument } from '../src/intake/gov-line/read.js';
import { correlate, KnownAppeals } from '../src/intake/linking.js';
import { normalise } from '../src/intake/normalise.js';
import { emptyRows, type Rows, rowsFor } from '../src/intake/rows.js';
import { describeEachDatabase } from './support/databases.js';

const EXAMPLES = join(import.meta.dirname, '../schema/gov-line/examples');
const NOW = new Date('2026-11-21T08:00:00Z');

/** The rows intake would write for every example message, with `tag` added to external ids. */
function exampleRows(tag: string): Rows {
  const rows = emptyRows();
  for (const file of readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.xml'))
    .sort()) {
    for (const o of readGovLineDocument(readFileSync(join(EXAMPLES, file)))) {
      if (!o.ok) throw new Error(`${file}: ${o.rejection.message}`);
      const n = normalise({ ...o.item, externalId: `${o.item.externalId}${tag}` });
      const link = correlate(
        { ...n.appeal, phone: null, identityKey: null, textFingerprint: null },
        new KnownAppeals(),
      );
      rowsFor(rows, { id: newId(), n, link, directLineAgency: null, now: NOW });
    }
  }
  return rows;
}

const TABLES = [
  [Applicant, 'applicants'],
  [Appeal, 'appeals'],
  [StatusEvent, 'events'],
  [Attachment, 'attachments'],
] as const;

async function readBack(em: EntityManager, rows: Rows) {
  const out: Record<string, unknown>[] = [];
  for (const [entity, key] of TABLES) {
    for (const row of rows[key]) {
      const stored = await em.fork().findOneOrFail(entity as never, { id: row.id } as never, {
        populate: entity === Attachment ? (['content'] as never) : [],
      });
      // Plain columns only: relations are ids that differ by construction.
      const {
        id: _id,
        externalId,
        externalEventId,
        ...rest
      } = Object.fromEntries(
        Object.entries(stored as Record<string, unknown>)
          .filter(([, v]) => !(v instanceof Collection) && !Utils.isEntity(v))
          .map(([k, v]) => [k, v instanceof ScalarReference ? v.unwrap() : v]),
      );
      out.push({
        table: key,
        ...rest,
        externalId: typeof externalId === 'string' ? externalId.replace(/#.*/, '') : externalId,
        externalEventId:
          typeof externalEventId === 'string' ? externalEventId.replace(/#[^:]*/, '') : undefined,
      });
    }
  }
  return out;
}

describeEachDatabase('bulk insert', (db) => {
  let orm: Orm;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await db.create();
    drop = created.drop;
    orm = await openOrm(created.target);
    await migrate(orm);
  });
  afterAll(async () => {
    await orm.close(true);
    await drop();
  });

  it('stores exactly what insertMany stores, read back through the ORM', async () => {
    const ours = exampleRows('#bulk');
    const theirs = exampleRows('#orm');
    expect(ours.attachments.length).toBeGreaterThan(0);
    await orm.em.fork().transactional(async (tx) => {
      for (const [entity, key] of TABLES) await bulkInsert(tx, entity as never, ours[key]);
    });
    await orm.em.fork().transactional(async (tx) => {
      for (const [entity, key] of TABLES) {
        if (theirs[key].length) await tx.insertMany(entity as never, theirs[key] as never[]);
      }
    });
    const a = await readBack(orm.em, ours);
    const b = await readBack(orm.em, theirs);
    expect(a).toEqual(b);
    const appeal = a.find((r) => r.table === 'appeals') as Record<string, unknown>;
    expect(appeal.receivedAt).toBeInstanceOf(Date);
    expect(typeof appeal.urgent).toBe('boolean');
    expect(Array.isArray(appeal.flags)).toBe(true);
    const attachment = a.find((r) => r.table === 'attachments') as Record<string, unknown>;
    const sent = ours.attachments[0]?.content as Buffer;
    expect(sent.length).toBeGreaterThan(0);
    expect(Buffer.from(attachment.content as Uint8Array).equals(sent)).toBe(true);
  });

  it('splits a large insert into statements under the parameter limit', async () => {
    const rows = emptyRows();
    const template = exampleRows('#x').applicants[0] as Record<string, unknown>;
    // Over 30,000 parameters in all: more than one statement on either database.
    for (let i = 0; i < 3_000; i++)
      rows.applicants.push({ ...template, id: newId(), lastName: `Коваль-${i}` });
    await orm.em.fork().transactional((tx) => bulkInsert(tx, Applicant, rows.applicants));
    const count = await orm.em.fork().count(Applicant, { lastName: { $like: 'Коваль-%' } });
    expect(count).toBe(3_000);
  });

  it('fails with the ORM exception for a unique clash and leaves nothing of the transaction', async () => {
    const rows = exampleRows('#clash');
    const first = rows.applicants[0] as Record<string, unknown>;
    const twice = [first, { ...rows.applicants[1], id: first.id }];
    const before = await orm.em.fork().count(Applicant, {});
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await bulkInsert(tx, Applicant, rows.applicants.slice(2));
        await bulkInsert(tx, Applicant, twice);
      }),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(await orm.em.fork().count(Applicant, {})).toBe(before);
  });

  it('refuses a property that is not a plain column', async () => {
    await expect(
      orm.em.fork().transactional((tx) => bulkInsert(tx, Applicant, [{ id: newId(), noSuchField: 1 }])),
    ).rejects.toThrow(/Applicant\.noSuchField is not a plain column/);
  });
});
