import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Appeal, Applicant, Attachment, JobRun } from '../src/db/entities/index.js';
import { pullGovLine } from '../src/jobs/pull-gov-line.js';
import { createLogger } from '../src/log.js';
import { startUccSimulator, type UccSimulator } from '../src/ucc/sim.js';
import { describeEachDatabase } from './support/databases.js';
import { NOW, startTestGateway, type TestGateway } from './support/gateway.js';
import { uccHeader as header } from './support/ucc.js';

const XML = 'application/xml';
const examplesDir = new URL('../schema/gov-line/examples/', import.meta.url);
const example = (name: string) => readFileSync(new URL(name, examplesDir));

describeEachDatabase('intake from the Government hotline 1545', (db) => {
  let gw: TestGateway;
  let ucc: UccSimulator;
  beforeAll(async () => {
    gw = await startTestGateway(db);
    ucc = await startUccSimulator({ token: 'ucc-feed-token' });
  });
  afterAll(async () => {
    await ucc.close();
    await gw.close();
  });

  const send = (body: string | Buffer, contentType = XML) =>
    gw.post('/intake/gov-line', body, { contentType });

  it('accepts every example under schema/gov-line/examples', async () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) {
      const { status, body } = await send(example(f));
      expect(status, f).toBe(200);
      expect(body.rejected, f).toEqual([]);
      expect(body.accepted.length, f).toBeGreaterThan(0);
    }
  });

  it('routes each example as it stores it; a complaint never to the body it challenges', async () => {
    const em = gw.orm.em.fork();
    const complaint = await em.findOneOrFail(
      Appeal,
      { source: 'gov_hotline_1545', externalId: '1545-2026-0419044' },
      { populate: ['complaintAbout', 'assignments', 'assignments.agency'] },
    );
    expect(complaint.complaintAbout?.code).toBe('99923203');
    expect(complaint.status).toBe('routed');
    expect(complaint.assignments.getItems().map((a) => [a.role, a.agency.code, a.ruleId])).toEqual([
      ['responsible', '99923000', 'complaint-about-district-administration'],
    ]);
    const all = await em.find(Appeal, { source: 'gov_hotline_1545' }, { populate: ['assignments'] });
    expect(all.length).toBeGreaterThan(7);
    expect(all.filter((a) => a.assignments.getItems().every((x) => x.role !== 'responsible'))).toEqual([]);
  });

  it('reads the standard fields where the standard puts them', async () => {
    const em = gw.orm.em.fork();
    const single = await em.findOneOrFail(
      Appeal,
      { source: 'gov_hotline_1545', externalId: '1545-2026-0412345' },
      { populate: ['applicant'] },
    );
    expect(single).toMatchObject({
      registrationNumber: 'Т-412345',
      topicCode: '006.01',
      kind: 'application',
      subject: 'individual',
    });
    expect(single.receivedAt.toISOString()).toBe('2026-11-20T07:15:00.000Z');
    expect(single.applicant).toMatchObject({
      lastName: 'Коваленко',
      phone: '+380671234567',
      email: 'o.kovalenko@ukr.net',
    });
    expect(single.origin).toMatchObject({
      msg_id: '6f1c2b0e-4a51-4d8e-9a43-0c2f5e7a1001',
      from_org_id: '37471967',
    });
    expect(await em.count(Attachment)).toBeGreaterThan(0);
    const collective = await em.find(
      Appeal,
      { source: 'gov_hotline_1545', subject: 'collective' },
      { populate: ['applicant'] },
    );
    expect(collective.length).toBeGreaterThan(0);
    expect(collective[0]?.applicant?.coAuthors.length).toBeGreaterThan(0);
    expect(await em.count(Applicant, { nonDisclosure: true })).toBeGreaterThan(0);
    expect(await em.count(Appeal, { source: 'gov_hotline_1545', priority: true })).toBeGreaterThan(0);
  });

  it('decodes windows-1251 into the same Cyrillic', async () => {
    const raw = example('07-windows-1251.xml');
    expect(raw.includes(Buffer.from('encoding="windows-1251"'))).toBe(true);
    const { body } = await send(raw);
    const stored = await gw.orm.em.fork().findOneOrFail(Appeal, body.accepted[0]?.appealId as string);
    expect(stored.summary).toMatch(/[А-ЯҐЄІЇа-яґєії]{4,}/);
    expect(stored.summary).not.toMatch(/[ÐÑ]/);
  });

  it('replays the same message idempotently and links the same citizen across lines', async () => {
    const first = await send(header({ id: 'X-100', topic: '006.02' }));
    const replay = await send(header({ id: 'X-100', topic: '006.02' }));
    expect(replay.body.accepted[0]).toMatchObject({
      appealId: first.body.accepted[0]?.appealId,
      outcome: 'replayed',
    });
    // The same citizen calls the regional hotline about the same question a week later.
    const regional = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId: 'RL-CROSS-1',
        registeredAt: '2026-11-27T10:00:00+02:00',
        kind: '3.2',
        topic: '006.02',
        summary: 'Телефоную вдруге: пенсію так і не відновили.',
        author: {
          lastName: 'Гончаренко',
          firstName: 'Микола',
          phone: '097 765 43 21',
          address: 'м. Запоріжжя',
        },
      }),
      { contentType: 'application/json' },
    );
    expect(regional.body.accepted[0]).toMatchObject({ receiptSign: 'duplicate' });
    const linked = await gw.orm.em
      .fork()
      .findOneOrFail(Appeal, regional.body.accepted[0]?.appealId as string);
    expect(linked.duplicateOf?.id).toBeDefined();
  });

  it('links a regional-line appeal to an answered 1545 appeal of the same citizen as a repeat', async () => {
    const first = await send(
      header({ id: 'R-200', phone: '+380661119900', lastName: 'Бойко', topic: '008.01' }),
    );
    const em = gw.orm.em.fork();
    const answered = await em.findOneOrFail(Appeal, first.body.accepted[0]?.appealId as string);
    answered.status = 'answered';
    await em.flush();
    const again = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId: 'RL-CROSS-REPEAT',
        registeredAt: '2026-12-15T10:00:00+02:00',
        kind: '3.3',
        topic: '008',
        summary: 'Відповідь отримав, але лікаря так і не призначили. Звертаюся повторно.',
        author: { lastName: 'Бойко', firstName: 'Микола', phone: '066 111 99 00', address: 'м. Запоріжжя' },
      }),
      { contentType: 'application/json' },
    );
    expect(again.body.accepted[0]).toMatchObject({ receiptSign: 'repeated', linkedTo: answered.id });
  });

  it('takes the good messages of a batch and reports the bad ones with their paths', async () => {
    const before = await gw.orm.em.fork().count(Appeal);
    const batch = `<?xml version="1.0" encoding="UTF-8"?><AppealBatch>${[
      header({ id: 'B-1', phone: '+380501230011' }),
      header({ id: 'B-2', topic: '777', phone: '+380501230012' }),
      header({ id: 'B-3', phone: 'не телефон' }),
      header({ id: 'B-4', phone: '+380501230014' }),
    ].join('')}</AppealBatch>`;
    const { status, body } = await send(batch);
    expect(status).toBe(200);
    expect(body.accepted.map((a) => a.externalId)).toEqual(['B-1', 'B-4']);
    expect(body.rejected.map((r) => [r.index, r.externalId, r.code])).toEqual([
      [1, 'B-2', 'UNKNOWN_TOPIC'],
      [2, 'B-3', 'INVALID_PHONE'],
    ]);
    expect(body.rejected[0]?.path).toContain('AppealCard');
    expect(await gw.orm.em.fork().count(Appeal)).toBe(before + 2);
  });

  it('refuses hostile and unreadable documents as a whole and stays up', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE Header [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Header>&xxe;</Header>`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Header>&lol2;</Header>`;
    for (const [doc, code] of [
      [xxe, 'XML_DOCTYPE_FORBIDDEN'],
      [laughs, 'XML_DOCTYPE_FORBIDDEN'],
      ['<Header><Document>', 'XML_MALFORMED'],
      ['{"json": true}', 'XML_MALFORMED'],
      ['<Appeals/>', 'XML_WRONG_ROOT'],
      [`<Header>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</Header>`, 'XML_TOO_DEEP'],
      ['<?xml version="1.0" encoding="x-unknown"?><Header/>', 'XML_CHARSET_UNSUPPORTED'],
    ] as const) {
      const { status, body } = await send(doc);
      expect(status, code).toBe(400);
      expect(body.code).toBe(code);
    }
    const polluted = `<AppealBatch><__proto__ polluted="1"/><Header constructor="x" prototype="y"/></AppealBatch>`;
    const res = await send(polluted);
    expect([200, 400]).toContain(res.status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await send(header({ id: 'AFTER-HOSTILE', phone: '+380501230099' }))).status).toBe(200);
  });

  it('answers 415 to a wrong content type', async () => {
    const { status, body } = await send(header({ id: 'CT-1' }), 'text/plain');
    expect(status).toBe(415);
    expect(body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lets only integration and admin principals in', async () => {
    const post = (token: string | null) =>
      gw.post('/intake/gov-line', header({ id: 'AUTH-1', phone: '+380501230777' }), {
        contentType: XML,
        token,
      });
    const anonymous = await post(null);
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const operator = await createPrincipal(gw.orm.em.fork(), { name: 'оператор КЦ 1545', role: 'operator' });
    const forbidden = await post(operator.token);
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(await gw.orm.em.fork().count(Appeal, { externalId: 'AUTH-1' })).toBe(0);
    const ucc = await createPrincipal(gw.orm.em.fork(), { name: 'УКЦ 1545', role: 'integration' });
    expect((await post(ucc.token)).status).toBe(200);
    expect(await gw.orm.em.fork().count(Appeal, { externalId: 'AUTH-1' })).toBe(1);
  });

  it('pulls new messages from the UCC feed since the stored cursor, through the same path', async () => {
    const deps = {
      orm: gw.orm,
      log: createLogger('silent'),
      now: () => NOW,
      feed: { feedUrl: ucc.feedUrl, token: 'ucc-feed-token' },
      pageSize: 2,
    };
    ucc.publish(
      header({ id: 'FEED-1', phone: '+380631110001', lastName: 'Олійник' }),
      header({ id: 'FEED-2', phone: '+380631110002', lastName: 'Поліщук' }),
      header({ id: 'FEED-3', phone: '+380631110003', lastName: 'Марченко', topic: '999' }),
    );
    const first = await pullGovLine(deps);
    expect(first).toMatchObject({ outcome: 'succeeded', counts: { created: 2, rejected: 1, pages: 3 } });
    const em = gw.orm.em.fork();
    expect(await em.count(Appeal, { externalId: { $in: ['FEED-1', 'FEED-2', 'FEED-3'] } })).toBe(2);
    // Nothing new: the next run reads one empty page and stores nothing.
    expect(await pullGovLine(deps)).toMatchObject({ outcome: 'succeeded', counts: { created: 0, pages: 1 } });
    // A failing feed fails the run, keeps the cursor, and the next run catches up.
    ucc.publish(header({ id: 'FEED-4', phone: '+380631110004', lastName: 'Ковальчук' }));
    ucc.failNext(1);
    const failed = await pullGovLine(deps);
    expect(failed.outcome).toBe('failed');
    expect(failed.error).toContain('503');
    expect(await pullGovLine(deps)).toMatchObject({ outcome: 'succeeded', counts: { created: 1 } });
    const runs = await em.find(JobRun, { job: 'pull-gov-line' }, { orderBy: { startedAt: 'asc' } });
    expect(runs.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded']);
  });
});
