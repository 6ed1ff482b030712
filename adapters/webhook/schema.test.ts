/**
 * The webhook wire format is a contract for bodies' IT staff: `schema/webhook/webhook.schema.json`
 * describes it, the examples beside it satisfy it, and so does what the codec writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/webhook/webhook.schema.json' with { type: 'json' };
import { encodeDelivery, encodeOpenList, encodeReceipt, encodeStatusFeed } from './codec.js';
import { subsidyDelivery } from './fixtures.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
ajv.addSchema(schema);
const validator = (def: string) => {
  const v = ajv.getSchema(`${schema.$id}#/$defs/${def}`);
  if (!v) throw new Error(`no $defs/${def}`);
  return (value: unknown) => (v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
};
const dir = new URL('../../schema/webhook/examples/', import.meta.url);
const EXAMPLE_DEF: Record<string, string> = {
  'delivery.json': 'delivery',
  'receipt.json': 'receipt',
  'status-feed.json': 'statusFeed',
  'open-list.json': 'openList',
};

describe('schema/webhook', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('%s satisfies its schema', (file) => {
    const def = EXAMPLE_DEF[file];
    expect(def, `an example without a schema: ${file}`).toBeDefined();
    expect(validator(def as string)(JSON.parse(readFileSync(new URL(file, dir), 'utf8')))).toEqual([]);
  });

  it('describes what the codec writes', () => {
    expect(validator('delivery')(JSON.parse(encodeDelivery(subsidyDelivery)))).toEqual([]);
    expect(
      validator('receipt')(
        JSON.parse(encodeReceipt({ status: 'registered', id: 'x-1', registrationNumber: 'ВХ-1/2026' })),
      ),
    ).toEqual([]);
    const feed = encodeStatusFeed(
      [
        {
          appealId: subsidyDelivery.appealId,
          externalEventId: 'ev-1',
          event: 'extend',
          occurredAt: '2026-02-20T10:00:00.000Z',
          result: null,
          registrationNumber: null,
          dueAt: '2026-03-30T21:59:59.999Z',
          note: 'Продовжено до 45 днів',
        },
      ],
      'c-1',
    );
    expect(validator('statusFeed')(JSON.parse(feed))).toEqual([]);
    const open = encodeOpenList([{ appealId: 'a-1', state: 'extended', externalRef: 'ВХ-1/2026' }]);
    expect(validator('openList')(JSON.parse(open))).toEqual([]);
  });

  it('refuses a registered receipt without the body’s number', () => {
    expect(validator('receipt')({ status: 'registered' })).not.toEqual([]);
  });
});
