/**
 * An agency's Trembita settings, checked when they are saved. Every problem names its place by JSON
 * pointer. Codes are EDRPOU strings of 8 digits: a JSON number would already have lost leading zeros.
 */
import type { SettingsProblem } from '../port.js';
import type { Addressing } from './codec.js';

export interface TrembitaSettings extends Addressing {
  /** The gateway's own (local) Trembita security server, e.g. `https://ss1.oblrada.zp.gov.ua/`. */
  securityServerUrl: string;
  timeoutMs: number;
  /** Calls in flight at once to this agency's service. */
  concurrency: number;
}

export const DEFAULTS = {
  memberClass: 'GOV',
  serviceVersion: 'v1',
  timeoutMs: 15_000,
  concurrency: 4,
} as const;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

// X-Road identifiers may not hold separators, whitespace or control characters.
const X_ROAD_CODE = /^[^\s/\\:;%\p{Cc}]{1,64}$/u;

class Checker {
  readonly problems: SettingsProblem[] = [];

  problem(pointer: string, message: string): void {
    this.problems.push({ pointer, message });
  }

  object(raw: unknown, pointer: string, allowed: readonly string[]): Raw {
    if (!isObject(raw)) {
      this.problem(pointer, 'must be an object');
      return {};
    }
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key))
        this.problem(`${pointer}/${key}`, `unknown setting; expected one of ${allowed.join(', ')}`);
    }
    return raw;
  }

  code(raw: unknown, pointer: string, fallback?: string): string {
    if (raw === undefined && fallback !== undefined) return fallback;
    if (typeof raw !== 'string' || !X_ROAD_CODE.test(raw)) {
      this.problem(pointer, 'must be a non-empty X-Road code without spaces or / \\ : ; %');
      return '';
    }
    return raw;
  }

  edrpou(raw: unknown, pointer: string): string {
    if (typeof raw === 'number')
      this.problem(pointer, 'must be a string in quotes: a number loses leading zeros');
    else if (typeof raw !== 'string' || !/^\d{8}$/.test(raw))
      this.problem(pointer, 'must be an EDRPOU code of 8 digits');
    return typeof raw === 'string' ? raw : '';
  }

  integer(raw: unknown, pointer: string, min: number, max: number, fallback: number): number {
    if (raw === undefined) return fallback;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
      this.problem(pointer, `must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return raw;
  }

  url(raw: unknown, pointer: string): string {
    let url: URL | null = null;
    try {
      url = typeof raw === 'string' ? new URL(raw) : null;
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      this.problem(pointer, 'must be the http(s) URL of the local Trembita security server');
      return '';
    }
    if (url.username || url.password) this.problem(pointer, 'must not carry credentials');
    return url.href;
  }
}

const TOP = ['securityServerUrl', 'instance', 'client', 'service', 'userId', 'timeoutMs', 'concurrency'];

export function parseTrembitaSettings(
  raw: unknown,
): { ok: true; settings: TrembitaSettings } | { ok: false; problems: SettingsProblem[] } {
  if (!isObject(raw)) return { ok: false, problems: [{ pointer: '', message: 'must be an object' }] };
  const c = new Checker();
  const top = c.object(raw, '', TOP);
  const client = c.object(top.client, '/client', ['memberClass', 'memberCode', 'subsystemCode']);
  const service = c.object(top.service, '/service', [
    'memberClass',
    'memberCode',
    'subsystemCode',
    'serviceVersion',
  ]);
  const userId = top.userId;
  if (typeof userId !== 'string' || userId.trim() === '' || userId.length > 255) {
    c.problem('/userId', 'must name the gateway as the acting user, e.g. "UA/gateway"');
  }
  const settings: TrembitaSettings = {
    securityServerUrl: c.url(top.securityServerUrl, '/securityServerUrl'),
    instance: c.code(top.instance, '/instance'),
    client: {
      memberClass: c.code(client.memberClass, '/client/memberClass', DEFAULTS.memberClass),
      memberCode: c.edrpou(client.memberCode, '/client/memberCode'),
      subsystemCode: c.code(client.subsystemCode, '/client/subsystemCode'),
    },
    service: {
      memberClass: c.code(service.memberClass, '/service/memberClass', DEFAULTS.memberClass),
      memberCode: c.edrpou(service.memberCode, '/service/memberCode'),
      subsystemCode: c.code(service.subsystemCode, '/service/subsystemCode'),
      serviceVersion: c.code(service.serviceVersion, '/service/serviceVersion', DEFAULTS.serviceVersion),
    },
    userId: typeof userId === 'string' ? userId : '',
    timeoutMs: c.integer(top.timeoutMs, '/timeoutMs', 100, 300_000, DEFAULTS.timeoutMs),
    concurrency: c.integer(top.concurrency, '/concurrency', 1, 64, DEFAULTS.concurrency),
  };
  return c.problems.length > 0 ? { ok: false, problems: c.problems } : { ok: true, settings };
}
