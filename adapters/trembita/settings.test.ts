import { describe, expect, it } from 'vitest';
import { trembitaAdapter } from './index.js';
import { RAW_SETTINGS } from './test-support.js';

const parse = (raw: unknown) => trembitaAdapter.parseSettings(raw);
const pointers = (raw: unknown) => {
  const outcome = parse(raw);
  return outcome.ok ? [] : outcome.problems.map((p) => p.pointer);
};

describe('Trembita settings', () => {
  it('accepts a complete set and fills the defaults', () => {
    expect(parse(RAW_SETTINGS)).toEqual({
      ok: true,
      settings: {
        securityServerUrl: 'http://ss1.test.invalid/',
        instance: 'SEVDEIR-TEST',
        client: { memberClass: 'GOV', memberCode: '99923900', subsystemCode: 'APPEAL_GATEWAY' },
        service: {
          memberClass: 'GOV',
          memberCode: '00032684',
          subsystemCode: 'APPEALS',
          serviceVersion: 'v1',
        },
        userId: 'UA/gateway',
        timeoutMs: 15_000,
        concurrency: 4,
      },
    });
  });

  it('refuses something that is not an object', () => {
    expect(parse('SEVDEIR-TEST/GOV/00032684/MIA_prod')).toEqual({
      ok: false,
      problems: [{ pointer: '', message: 'must be an object' }],
    });
  });

  it('asks for codes in quotes when a number has lost the leading zeros', () => {
    const outcome = parse({ ...RAW_SETTINGS, service: { ...RAW_SETTINGS.service, memberCode: 32684 } });
    expect(outcome).toEqual({
      ok: false,
      problems: [
        {
          pointer: '/service/memberCode',
          message: 'must be a string in quotes: a number loses leading zeros',
        },
      ],
    });
  });

  it('names every problem by JSON pointer', () => {
    const raw = {
      securityServerUrl: 'ftp://ss1',
      instance: 'SEVDEIR TEST',
      client: { memberCode: '9992390', subsystemCode: 'a/b' },
      service: { memberCode: '00032684', subsystemCode: 'APPEALS', serviceVersion: '' },
      timeoutMs: 0,
      concurrency: 2.5,
      securityServerURL: 'http://typo',
    };
    expect(pointers(raw)).toEqual([
      '/securityServerURL',
      '/userId',
      '/securityServerUrl',
      '/instance',
      '/client/memberCode',
      '/client/subsystemCode',
      '/service/serviceVersion',
      '/timeoutMs',
      '/concurrency',
    ]);
  });

  it('wants the client and service identifiers', () => {
    expect(pointers({ ...RAW_SETTINGS, client: undefined, service: [] })).toEqual([
      '/client',
      '/service',
      '/client/memberCode',
      '/client/subsystemCode',
      '/service/memberCode',
      '/service/subsystemCode',
    ]);
  });

  it('refuses credentials in the security server URL', () => {
    expect(pointers({ ...RAW_SETTINGS, securityServerUrl: 'https://user:pass@ss1.example/' })).toEqual([
      '/securityServerUrl',
    ]);
  });
});
