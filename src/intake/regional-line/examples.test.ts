import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import appealSchema from '../../../schema/regional-line/appeal.schema.json' with { type: 'json' };
import batchSchema from '../../../schema/regional-line/batch.schema.json' with { type: 'json' };
import { SOURCE_LINES } from '../../domain/appeal.js';
import {
  KIND_CODES,
  RECEIPT_FORM_CODES,
  RECEIPT_SIGN_CODES,
  SEX_CODES,
  SUBJECT_CODES,
} from '../../domain/classifier.js';
import { STORED_LENGTHS } from '../../domain/stored-lengths.js';
import { INTAKE_LIMITS } from '../types.js';
import { readRegionalLineDocument } from './read.js';
import { stubTopicMap } from './test-support.js';

const dir = new URL('../../../schema/regional-line/examples/', import.meta.url);
const examples = readdirSync(dir).filter((f) => f.endsWith('.json'));

// A partner checks its cards with the published schemas alone, so the examples must pass them as is.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
addFormats(ajv, ['date-time', 'email']);
ajv.addSchema(appealSchema);
const validateBatch = ajv.compile(batchSchema);
const validateAppeal = ajv.getSchema(appealSchema.$id);

describe('schema/regional-line/examples', () => {
  it('holds the documented examples', () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        'anonymous.json',
        'batch.json',
        'collective.json',
        'direct-line.json',
        'local-topic-subsidy.json',
        'with-attachment.json',
      ]),
    );
  });

  it.each(examples)('%s validates against the published schema and reads as ok items', (file) => {
    const body = readFileSync(new URL(file, dir));
    const doc: unknown = JSON.parse(body.toString('utf8'));
    const validate =
      typeof doc === 'object' && doc !== null && 'appeals' in doc ? validateBatch : validateAppeal;
    expect(validate?.(doc), JSON.stringify(validate?.errors)).toBe(true);
    const outcomes = readRegionalLineDocument(body, stubTopicMap);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  });

  it('shows a collective, an anonymous and a direct-line appeal as such', () => {
    const first = (file: string) => {
      const [outcome] = readRegionalLineDocument(readFileSync(new URL(file, dir)), stubTopicMap);
      return outcome?.ok ? outcome.item : null;
    };
    expect(first('collective.json')).toMatchObject({ subject: 'collective', coAuthors: [{}, {}] });
    expect(first('anonymous.json')).toMatchObject({ subject: 'anonymous', author: null });
    expect(first('direct-line.json')).toMatchObject({
      source: 'direct_line',
      directLine: { agencyCode: '99923101' },
    });
    expect(first('with-attachment.json')?.attachments[0]?.content.toString('utf8')).toContain('лічильника');
  });
});

describe('the schema agrees with the code', () => {
  const props = appealSchema.properties;
  const codes = (list: readonly { code: string }[]) => list.map((e) => e.code);

  it('lists exactly the classifier codes', () => {
    expect(props.kind.enum).toEqual(codes(KIND_CODES));
    expect(props.subject.enum).toEqual(codes(SUBJECT_CODES));
    expect(props.receiptSign.enum).toEqual([...codes(RECEIPT_SIGN_CODES), null]);
    expect(props.receiptForm.enum).toEqual([...codes(RECEIPT_FORM_CODES), null]);
    expect(appealSchema.$defs.author.properties.sex.enum).toEqual([...codes(SEX_CODES), null]);
  });

  it('offers only channels that are source lines', () => {
    expect(SOURCE_LINES).toEqual(expect.arrayContaining(props.channel.enum));
  });

  it('uses the intake limits', () => {
    expect(props.summary.maxLength).toBe(INTAKE_LIMITS.maxSummaryChars);
    expect(appealSchema.$defs.text.maxLength).toBe(INTAKE_LIMITS.maxFieldChars);
    expect(props.attachments.maxItems).toBe(INTAKE_LIMITS.maxAttachmentsPerAppeal);
    expect(batchSchema.properties.appeals.maxItems).toBe(INTAKE_LIMITS.maxItemsPerBatch);
    const base64 = appealSchema.$defs.attachment.properties.contentBase64.maxLength;
    expect(base64).toBe(Math.ceil(INTAKE_LIMITS.maxAttachmentBytes / 3) * 4);
  });

  it('allows no field longer than the column that stores it', () => {
    const d = appealSchema.$defs;
    expect([
      props.cardId.maxLength,
      props.registrationNumber.maxLength,
      d.name.maxLength,
      d.author.properties.email.maxLength,
      d.directLine.properties.sessionId.maxLength,
      d.directLine.properties.officialName.maxLength,
      d.attachment.properties.fileName.maxLength,
      d.attachment.properties.mimeType.maxLength,
    ]).toEqual([
      STORED_LENGTHS.externalId,
      STORED_LENGTHS.registrationNumber,
      STORED_LENGTHS.personName,
      STORED_LENGTHS.email,
      STORED_LENGTHS.directLineSession,
      STORED_LENGTHS.directLineOfficial,
      STORED_LENGTHS.fileName,
      STORED_LENGTHS.mimeType,
    ]);
    for (const ref of ['lastName', 'firstName', 'patronymic'] as const) {
      expect(d.author.properties[ref].$ref).toBe('#/$defs/name');
    }
  });
});
