/**
 * A body that works through the API downloads the citizen's files: only of its own appeals, only when
 * it sees the author's personal data in clear, each download audited before a byte leaves, and the
 * file served so that it cannot act in the browser of whoever opens it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURPOSE_BODY, PURPOSE_CONTACT_CENTER } from '../src/access/request.js';
import { createPrincipal } from '../src/access/tokens.js';
import { Assignment, Attachment, AuditEntry } from '../src/db/entities/index.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/log.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const SOCIAL = '99923101'; // social protection department
const HEALTH = '99923102';
const OVA = '99923000'; // the oblast military administration (copies for information)

const PDF_NAME = 'Акт обстеження пошкодженого житла (копія).pdf';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n% Акт обстеження\n%%EOF\n', 'utf8');
const HTML = Buffer.from('<script>alert(document.cookie)</script>', 'utf8');
const REPORT = Buffer.from('Довідка про склад сім’ї', 'utf8');

interface ErrorBody {
  code?: string;
  message?: string;
}
interface AttachmentBody {
  id: string;
  fileName: string;
  downloadPath: string | null;
}

describeEachDatabase('attachments are downloaded by whom the appeal needs them, audited', (db) => {
  let gw: TestGateway;
  const tokens: Record<string, string> = {};
  const principalIds: Record<string, string> = {};
  /** A: social responsible, OVA for information. B: health only. */
  const appeal: Record<'A' | 'B', string> = { A: '', B: '' };
  const file: Record<'pdf' | 'html' | 'report', string> = { pdf: '', html: '', report: '' };
  const path = (appealId: string, attachmentId: string) => `/appeals/${appealId}/attachments/${attachmentId}`;
  const download = (url: string, who?: string) =>
    gw.app.request(url, { headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });
  const audits = () =>
    gw.orm.em
      .fork()
      .find(AuditEntry, { action: 'read-personal-data' }, { orderBy: { at: 'asc', id: 'asc' } });

  beforeAll(async () => {
    gw = await startTestGateway(db);
    const em = () => gw.orm.em.fork();
    for (const [name, role, agencyCode] of [
      ['social', 'agency', SOCIAL],
      ['health', 'agency', HEALTH],
      ['ova', 'agency', OVA],
      ['operator', 'operator'],
      ['auditor', 'auditor'],
      ['integration', 'integration'],
    ] as const) {
      const made = await createPrincipal(em(), { name, role, ...(agencyCode ? { agencyCode } : {}) });
      tokens[name] = made.token;
      principalIds[name] = made.principal.id;
    }
    const card = (cardId: string, topic: string, categories: string[], attachments: unknown[]) => ({
      cardId,
      registeredAt: '2026-11-20T10:00:00+02:00',
      kind: '3.2',
      topic,
      summary: `Звернення ${cardId}: прошу розглянути питання щодо виплат і надати відповідь.`,
      author: {
        lastName: 'Гриценко',
        firstName: 'Павло',
        patronymic: 'Андрійович',
        phone: `+38066${cardId.slice(-7)}`,
        address: 'м. Запоріжжя, вул. Тбіліська, 3, кв. 61',
        categories,
      },
      attachments,
    });
    const attach = (fileName: string, mimeType: string, content: Buffer) => ({
      fileName,
      mimeType,
      contentBase64: content.toString('base64'),
    });
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        appeals: [
          card(
            'RL-ATT-0000001',
            '006.02',
            ['7.1'],
            [attach(PDF_NAME, 'application/pdf', PDF), attach('лист.html', 'text/html', HTML)],
          ),
          card('RL-ATT-0000002', '008.01', [], [attach('довідка.txt', 'text/plain', REPORT)]),
        ],
      }),
      { contentType: 'application/json' },
    );
    expect(res.body.rejected).toEqual([]);
    const [a, b] = res.body.accepted.map((x) => x.appealId);
    Object.assign(appeal, { A: a, B: b });
    const roles = async (appealId: string) =>
      (await em().find(Assignment, { appeal: appealId }, { populate: ['agency'] }))
        .map((x) => `${x.role}:${x.agency.code}`)
        .sort();
    expect(await roles(appeal.A)).toEqual([`for_information:${OVA}`, `responsible:${SOCIAL}`]);
    expect(await roles(appeal.B)).toEqual([`responsible:${HEALTH}`]);
    const files = await em().find(Attachment, {}, { fields: ['id', 'fileName'] });
    const idOf = (name: string) => files.find((f) => f.fileName === name)?.id as string;
    Object.assign(file, { pdf: idOf(PDF_NAME), html: idOf('лист.html'), report: idOf('довідка.txt') });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('gives the responsible body the exact bytes as a download, audited once', async () => {
    const before = (await audits()).length;
    const res = await download(path(appeal.A, file.pdf), 'social');
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(PDF.length));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    // RFC 6266 / 8187: the Cyrillic name travels percent-encoded in `filename*`.
    const extended = /filename\*=UTF-8''([^;\s]+)/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(extended)).toBe(PDF_NAME);
    // The plain `filename` is for old clients: ASCII only, never the Cyrillic bytes.
    expect(disposition).toMatch(/^[\x20-\x7e]+$/);

    const written = (await audits()).slice(before);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      principalId: principalIds.social,
      principalName: 'social',
      appealId: appeal.A,
      fields: [`attachments/${file.pdf}.content`],
      purpose: PURPOSE_BODY,
    });
  });

  it('records the purpose the caller gives, and refuses one too long for the audit log', async () => {
    const before = (await audits()).length;
    const purpose = 'перевірка акту обстеження комісією';
    const res = await download(
      `${path(appeal.A, file.pdf)}?purpose=${encodeURIComponent(purpose)}`,
      'social',
    );
    expect(res.status).toBe(200);
    expect((await audits()).slice(before).map((e) => e.purpose)).toEqual([purpose]);

    const long = await download(`${path(appeal.A, file.pdf)}?purpose=${'я'.repeat(201)}`, 'social');
    expect(long.status).toBe(400);
    expect(((await long.json()) as ErrorBody).code).toBe('PURPOSE_TOO_LONG');
    expect((await audits()).length).toBe(before + 1);
  });

  it('lets the contact center’s operator download, under its own purpose', async () => {
    const before = (await audits()).length;
    const res = await download(path(appeal.B, file.report), 'operator');
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(REPORT);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect((await audits()).slice(before)).toMatchObject([
      { principalName: 'operator', appealId: appeal.B, purpose: PURPOSE_CONTACT_CENTER },
    ]);
  });

  it('answers a body not assigned to the appeal as if the file did not exist, without an audit entry', async () => {
    const before = (await audits()).length;
    const foreign = await download(path(appeal.A, file.pdf), 'health');
    const missing = await download(path(appeal.A, '019b0000-0000-7000-8000-000000000000'), 'health');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const body = (await foreign.json()) as ErrorBody;
    expect(body.code).toBe('NOT_FOUND');
    expect(body).toEqual(await missing.json());
    expect((await audits()).length).toBe(before);
  });

  it('refuses a copy for information and an auditor: they see personal data masked', async () => {
    const before = (await audits()).length;
    for (const who of ['ova', 'auditor']) {
      const res = await download(path(appeal.A, file.pdf), who);
      expect(res.status, who).toBe(403);
      const body = (await res.json()) as ErrorBody;
      expect(body.code, who).toBe('PERSONAL_DATA_MASKED');
      expect(body.message, who).toMatch(/^[\x20-\x7e]+$/);
    }
    expect((await audits()).length).toBe(before);
  });

  it('needs a token, and a role that reads appeals', async () => {
    const anonymous = await download(path(appeal.A, file.pdf));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as ErrorBody).code).toBe('UNAUTHENTICATED');
    const integration = await download(path(appeal.A, file.pdf), 'integration');
    expect(integration.status).toBe(403);
    expect(((await integration.json()) as ErrorBody).code).toBe('FORBIDDEN');
  });

  it('finds a file only under its own appeal, and nothing under a malformed id', async () => {
    const before = (await audits()).length;
    for (const url of [
      path(appeal.A, file.report), // B's file under A
      path(appeal.B, file.pdf), // A's file under B
      path('not-a-uuid', file.pdf),
      path(appeal.A, "1' or '1'='1"),
    ]) {
      const res = await download(url, 'operator');
      expect(res.status, url).toBe(404);
      expect(((await res.json()) as ErrorBody).code, url).toBe('NOT_FOUND');
    }
    expect((await audits()).length).toBe(before);
  });

  it('serves an active type such as HTML as opaque bytes', async () => {
    const res = await download(path(appeal.A, file.html), 'social');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(HTML);
  });

  it('tells in GraphQL where to download, to whom may', async () => {
    const query = `query($id: ID!) { appeal(id: $id) { attachments { id fileName downloadPath } } }`;
    const files = async (who: string) => {
      const res = await gw.gql<{ appeal: { attachments: AttachmentBody[] } }>(
        query,
        { id: appeal.A },
        tokens[who],
      );
      expect(res.body.errors, who).toBeUndefined();
      return res.body.data?.appeal.attachments ?? [];
    };
    const forBody = await files('social');
    const pdf = forBody.find((f) => f.id === file.pdf);
    expect(pdf).toEqual({ id: file.pdf, fileName: PDF_NAME, downloadPath: path(appeal.A, file.pdf) });
    const res = await download(pdf?.downloadPath as string, 'social');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);

    const forCopy = await files('ova');
    expect(forCopy.length).toBe(2);
    for (const f of forCopy) expect(f).toMatchObject({ fileName: '***', downloadPath: null });
  });

  describe('an author who asked for non-disclosure, a copy given back and taken up again', () => {
    const CHILDREN = '99923109'; // responsible for topic 013; social protection co-executes
    let secret = '';
    let secretFile = '';
    const TRICKY = 'звіт\u202Efdp.exe';

    beforeAll(async () => {
      const em = () => gw.orm.em.fork();
      tokens.children = (
        await createPrincipal(em(), { name: 'children', role: 'agency', agencyCode: CHILDREN })
      ).token;
      const res = await gw.post(
        '/intake/regional-line',
        JSON.stringify({
          cardId: 'RL-ATT-0000003',
          registeredAt: '2026-11-20T10:00:00+02:00',
          kind: '3.2',
          topic: '013',
          nonDisclosure: true,
          summary: 'Звернення RL-ATT-0000003: прошу допомогти з оздоровленням дитини, лист додаю.',
          author: { lastName: 'Гриценко', firstName: 'Павло', phone: '+380660000003', categories: ['7.11'] },
          attachments: [
            { fileName: TRICKY, mimeType: 'application/pdf', contentBase64: PDF.toString('base64') },
          ],
        }),
        { contentType: 'application/json' },
      );
      expect(res.body.rejected).toEqual([]);
      secret = res.body.accepted[0]?.appealId as string;
      secretFile = (await em().findOneOrFail(Attachment, { appeal: secret })).id;
    });

    it('keeps the files from a co-executor, as the name and address, and gives them to the responsible body', async () => {
      const before = (await audits()).length;
      const res = await download(path(secret, secretFile), 'social');
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).code).toBe('PERSONAL_DATA_MASKED');
      const listed = await gw.gql<{ appeal: { attachments: AttachmentBody[] } }>(
        'query($id: ID!) { appeal(id: $id) { attachments { id fileName downloadPath } } }',
        { id: secret },
        tokens.social,
      );
      expect(listed.body.data?.appeal.attachments).toEqual([
        { id: secretFile, fileName: '***', downloadPath: null },
      ]);
      expect((await audits()).length).toBe(before);

      const given = await download(path(secret, secretFile), 'children');
      expect(given.status).toBe(200);
      // No invisible direction mark reaches the header: the name cannot pose as a PDF.
      const disposition = decodeURIComponent(given.headers.get('content-disposition') ?? '');
      expect(disposition).not.toContain('\u202E');
      expect(disposition).toContain('звіт_fdp.exe');
      expect((await audits()).length).toBe(before + 1);
    });

    it('answers HEAD with 405 and no audit entry: its headers would name the file', async () => {
      const before = (await audits()).length;
      const res = await gw.app.request(path(secret, secretFile), {
        method: 'HEAD',
        headers: { authorization: `Bearer ${tokens.children}` },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
      expect(res.headers.get('content-disposition')).toBeNull();
      expect((await audits()).length).toBe(before);
    });

    it('gives the files back to a body that returned its copy once it is routed the appeal again', async () => {
      const copy = await gw.orm.em
        .fork()
        .findOneOrFail(Assignment, { appeal: appeal.B, agency: { code: HEALTH } });
      const returned = await gw.gql<{ returnAppealAsNotCompetent: { __typename: string } }>(
        'mutation($a: ID!) { returnAppealAsNotCompetent(assignmentId: $a, reason: "Не наша компетенція") { __typename } }',
        { a: copy.id },
        tokens.health,
      );
      expect(returned.body.data?.returnAppealAsNotCompetent.__typename).toBe(
        'MutationReturnAppealAsNotCompetentSuccess',
      );
      expect((await download(path(appeal.B, file.report), 'health')).status).toBe(403);
      const back = await gw.gql<{ rerouteAppeal: { __typename: string } }>(
        'mutation($i: RerouteInput!) { rerouteAppeal(input: $i) { __typename } }',
        {
          i: {
            appealId: appeal.B,
            responsible: HEALTH,
            reason: 'Помилково повернуто: питання охорони здоров’я',
          },
        },
        tokens.operator,
      );
      expect(back.body.data?.rerouteAppeal.__typename).toBe('MutationRerouteAppealSuccess');
      const res = await download(path(appeal.B, file.report), 'health');
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(REPORT);
    });
  });

  it('keeps each principal to its download budget when the gateway has one', async () => {
    let clock = 0;
    const limited = createApp({
      orm: gw.orm,
      log: createLogger('silent'),
      production: false,
      graphqlRateLimit: { perMinute: 60, burst: 2, clock: () => clock },
    });
    const get = () =>
      limited.request(path(appeal.A, file.pdf), { headers: { authorization: `Bearer ${tokens.operator}` } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as ErrorBody).code).toBe('RATE_LIMITED');
    clock += 1_000;
    expect((await get()).status).toBe(200);
  });

  describe('when the audit entry cannot be written', () => {
    // Last: takes the audit log away for a moment, as a failing database would.
    it('answers 500 and sends no bytes', async () => {
      const knex = gw.orm.em.fork().getKnex();
      await knex.schema.renameTable('audit_entry', 'audit_entry_away');
      try {
        const res = await download(path(appeal.A, file.pdf), 'social');
        expect(res.status).toBe(500);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('content-disposition')).toBeNull();
        const body = (await res.json()) as ErrorBody;
        expect(body.code).toBe('INTERNAL_ERROR');
      } finally {
        await knex.schema.renameTable('audit_entry_away', 'audit_entry');
      }
    });
  });
});
