import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IntakeItem } from '../types.js';
import { readGovLineDocument } from './read.js';

const dir = new URL('../../../schema/gov-line/examples/', import.meta.url);

/** What each example must yield, item by item. A new example without an entry here fails the test. */
const EXPECTED: Record<string, Partial<IntakeItem>[]> = {
  '01-individual-housing-subsidy.xml': [
    {
      externalId: '1545-2026-0412345',
      registrationNumber: 'Т-412345',
      receivedAt: new Date('2026-11-20T07:15:00.000Z'),
      topicCode: '006.01',
      territoryCode: 'UA23060070010069526',
      kind: 'application',
      subject: 'individual',
      receiptForm: 'phone',
      receiptSign: 'primary',
    },
  ],
  '02-collective-heating.xml': [
    { externalId: '1545-2026-0413007', topicCode: '009.01', subject: 'collective', urgent: true },
  ],
  '03-privileged-author.xml': [
    {
      externalId: '1545-2026-0414552',
      topicCode: '006.05',
      territoryCode: 'UA23080070010092407',
      receiptSign: 'repeated',
    },
  ],
  '04-non-disclosure.xml': [
    {
      externalId: '1545-2026-0415100',
      kind: 'complaint',
      nonDisclosure: true,
      territoryCode: 'UA23020050010019935',
      receivedAt: new Date('2026-11-22T22:00:00.000Z'),
    },
  ],
  '05-attachment.xml': [{ externalId: '1545-2026-0416321', topicCode: '010.02' }],
  '06-batch.xml': [
    { externalId: '1545-2026-0417001', topicCode: '009.02', territoryCode: 'UA23060030010056906' },
    { externalId: '1545-2026-0417002', topicCode: '003.01', kind: 'proposal', receiptForm: 'post' },
    { externalId: '1545-2026-0417003', topicCode: '007.01' },
  ],
  '07-windows-1251.xml': [{ externalId: '1545-2026-0418250', topicCode: '003.02', kind: 'complaint' }],
  '08-complaint-about-district.xml': [
    { externalId: '1545-2026-0419044', topicCode: '003.02', kind: 'complaint', complaintAbout: '99923203' },
  ],
};

const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
const read = (file: string): IntakeItem[] =>
  readGovLineDocument(readFileSync(new URL(file, dir))).map((o) => {
    if (!o.ok) throw new Error(`${file}: ${o.rejection.path} ${o.rejection.code}: ${o.rejection.message}`);
    return o.item;
  });

describe('schema/gov-line/examples', () => {
  it('has an expectation for every example and an example for every expectation', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s yields only readable items with the expected key fields', (file) => {
    const items = read(file);
    expect(items).toHaveLength(EXPECTED[file]?.length ?? -1);
    items.forEach((item, i) => {
      expect(item).toMatchObject({ source: 'gov_hotline_1545', ...EXPECTED[file]?.[i] });
      expect(item.origin).toMatchObject({ from_org_id: '37471967', to_org_id: '03345678', channel: '1545' });
      expect(item.summary).toMatch(/[А-ЯҐЄІЇа-яґєії]{4,}/);
    });
  });

  it('reads the authors: three of a collective appeal, the categories of a privileged one', () => {
    const [collective] = read('02-collective-heating.xml');
    expect([collective?.author, ...(collective?.coAuthors ?? [])].map((a) => a?.lastName)).toEqual([
      'Шевчук',
      'Мороз',
      'Ткаченко',
    ]);
    const [privileged] = read('03-privileged-author.xml');
    expect(privileged?.author).toMatchObject({
      categories: ['7.5', '7.8'],
      sex: 'male',
      phone: '+380967654321',
    });
    const [single] = read('01-individual-housing-subsidy.xml');
    expect(single?.author?.address).toBe(
      '69001, Запорізька обл., м. Запоріжжя, вул. Соборна, буд. 12, кв. 5',
    );
  });

  it('decodes the attachment and the windows-1251 text', () => {
    const [withFile] = read('05-attachment.xml');
    expect(withFile?.attachments).toHaveLength(1);
    expect(withFile?.attachments[0]).toMatchObject({
      fileName: 'Акт обстеження пошкодженого житла.pdf',
      mimeType: 'application/pdf',
    });
    expect(withFile?.attachments[0]?.content.subarray(0, 5).toString()).toBe('%PDF-');
    const [cp1251] = read('07-windows-1251.xml');
    expect(cp1251?.author?.lastName).toBe('Гнатюк');
    expect(cp1251?.summary).toContain('«прийняття» актів');
  });

  it('reads the direct-line session of the batch', () => {
    const items = read('06-batch.xml');
    expect(items.map((i) => i.directLine?.agencyCode ?? null)).toEqual([null, null, '99923101']);
    expect(items.every((i) => i.origin.batch_id === 'UCC-ZP-2026-11-25-0001')).toBe(true);
  });
});
