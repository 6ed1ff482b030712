import { describe, expect, it } from 'vitest';
import { webhookAdapter } from './index.js';

const parse = webhookAdapter.parseSettings;
const valid = { url: 'https://dszn.zp.gov.ua/api/appeals/', secretEnv: 'WEBHOOK_SECRET_99923101' };

function pointers(raw: unknown): string[] {
  const outcome = parse(raw);
  return outcome.ok ? [] : outcome.problems.map((p) => p.pointer);
}

describe('webhook settings', () => {
  it('fills in the defaults and derives the status feed from the URL', () => {
    expect(parse(valid)).toEqual({
      ok: true,
      settings: {
        url: 'https://dszn.zp.gov.ua/api/appeals',
        openUrl: null,
        statusUrl: 'https://dszn.zp.gov.ua/api/appeals/statuses',
        secretEnv: 'WEBHOOK_SECRET_99923101',
        timeoutMs: 10_000,
        concurrency: 4,
      },
    });
  });

  it('keeps what is given within bounds', () => {
    const raw = { ...valid, statusUrl: 'http://10.0.0.5/feed?format=json', timeoutMs: 100, concurrency: 64 };
    expect(parse(raw)).toMatchObject({
      ok: true,
      settings: { statusUrl: 'http://10.0.0.5/feed?format=json', timeoutMs: 100, concurrency: 64 },
    });
  });

  it('refuses what is not an object at the root', () => {
    expect(parse('https://dszn.zp.gov.ua')).toEqual({
      ok: false,
      problems: [{ pointer: '', message: 'Webhook settings must be a JSON object' }],
    });
    expect(pointers(null)).toEqual(['']);
    expect(pointers([valid])).toEqual(['']);
  });

  it.each([
    ['a missing url', { secretEnv: valid.secretEnv }, ['/url']],
    ['a relative url', { ...valid, url: '/api/appeals' }, ['/url']],
    ['an ftp url', { ...valid, url: 'ftp://dszn.zp.gov.ua/in' }, ['/url']],
    ['credentials in the url', { ...valid, url: 'https://user:pass@dszn.zp.gov.ua/api' }, ['/url']],
    ['a query on the base url', { ...valid, url: 'https://dszn.zp.gov.ua/api?x=1' }, ['/url']],
    ['a bad status url', { ...valid, statusUrl: 'mailto:dszn@zp.gov.ua' }, ['/statusUrl']],
    ['a missing secretEnv', { url: valid.url }, ['/secretEnv']],
    ['a secretEnv that is not a variable name', { ...valid, secretEnv: 'webhook secret' }, ['/secretEnv']],
    ['a timeout too short', { ...valid, timeoutMs: 99 }, ['/timeoutMs']],
    ['a timeout too long', { ...valid, timeoutMs: 120_001 }, ['/timeoutMs']],
    ['a fractional timeout', { ...valid, timeoutMs: 1500.5 }, ['/timeoutMs']],
    ['a timeout as text', { ...valid, timeoutMs: '2000' }, ['/timeoutMs']],
    ['no concurrency', { ...valid, concurrency: 0 }, ['/concurrency']],
    ['too much concurrency', { ...valid, concurrency: 65 }, ['/concurrency']],
    ['an unknown key, escaped', { ...valid, 'retry/policy~x': 1 }, ['/retry~1policy~0x']],
    [
      'everything wrong at once',
      { url: 3, timeoutMs: 0, concurrency: 100 },
      ['/url', '/secretEnv', '/timeoutMs', '/concurrency'],
    ],
  ])('points at %s', (_, raw, expected) => {
    expect(pointers(raw)).toEqual(expected);
  });

  it('refuses a secret stored in the settings and says where it belongs', () => {
    expect(parse({ ...valid, secret: 'hunter2' })).toEqual({
      ok: false,
      problems: [
        { pointer: '/secret', message: expect.stringContaining('environment variable named by secretEnv') },
      ],
    });
  });
});
