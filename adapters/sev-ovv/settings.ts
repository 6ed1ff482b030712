/**
 * An agency's SEV OVV settings, checked when they are saved: every problem named by JSON pointer.
 *
 * - `url`: the endpoint of the body's SEV OVV node (or the local bridge in front of it) that takes a
 *   POSTed 1207 message (`Content-Type: application/xml`) and answers with a 1207 receipt;
 * - `feedUrl` (optional): where the node serves the status feed; default `feed` next to `url`
 *   (http://node/sev/messages → http://node/sev/feed);
 * - `orgCode`: the body's EDRPOU code, 8 digits as a string (a JSON number would lose leading zeros);
 *   every delivery must be addressed to it;
 * - `sysId`: the body's system in SEV OVV (`Header@to_sys_id`/`@to_system`);
 * - `timeoutMs` (default 10,000) and `concurrency` (default 4, for the dispatcher).
 */
import type { SettingsProblem } from '../port.js';

export interface SevOvvSettings {
  url: string;
  feedUrl: string;
  orgCode: string;
  sysId: string;
  timeoutMs: number;
  concurrency: number;
}

const KNOWN = new Set(['url', 'feedUrl', 'orgCode', 'sysId', 'timeoutMs', 'concurrency']);
export const SETTINGS_DEFAULTS = { timeoutMs: 10_000, concurrency: 4 } as const;

function httpUrl(value: unknown, pointer: string, problems: SettingsProblem[]): string | null {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({
      pointer,
      message: 'Give the URL of the SEV OVV node, e.g. http://sev-node.local/messages.',
    });
    return null;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    problems.push({ pointer, message: `"${value}" is not an absolute URL.` });
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push({
      pointer,
      message: `The URL must be http or https, not ${url.protocol.replace(':', '')}.`,
    });
    return null;
  }
  if (url.username || url.password) {
    problems.push({ pointer, message: 'Do not put credentials in the URL.' });
    return null;
  }
  return url.href;
}

function integer(
  raw: Record<string, unknown>,
  key: 'timeoutMs' | 'concurrency',
  min: number,
  max: number,
  problems: SettingsProblem[],
): number {
  const value = raw[key];
  if (value === undefined) return SETTINGS_DEFAULTS[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({ pointer: `/${key}`, message: `${key} must be a whole number from ${min} to ${max}.` });
  }
  return value as number;
}

export function parseSevOvvSettings(
  raw: unknown,
): { ok: true; settings: SevOvvSettings } | { ok: false; problems: SettingsProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ pointer: '', message: 'The SEV OVV settings must be an object.' }] };
  }
  const r = raw as Record<string, unknown>;
  const problems: SettingsProblem[] = [];
  for (const key of Object.keys(r)) {
    if (!KNOWN.has(key)) {
      problems.push({
        pointer: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `Unknown setting "${key}".`,
      });
    }
  }
  const url = httpUrl(r.url, '/url', problems);
  const feedUrl =
    r.feedUrl === undefined
      ? url === null
        ? null
        : new URL('feed', url).href
      : httpUrl(r.feedUrl, '/feedUrl', problems);
  if (typeof r.orgCode === 'number') {
    problems.push({
      pointer: '/orgCode',
      message: 'Write the EDRPOU code as a string: a number loses its leading zeros.',
    });
  } else if (typeof r.orgCode !== 'string' || !/^\d{8}$/.test(r.orgCode)) {
    problems.push({ pointer: '/orgCode', message: 'The EDRPOU code must be 8 digits, e.g. "00032684".' });
  }
  if (typeof r.sysId !== 'string' || r.sysId.trim() === '' || r.sysId.length > 100) {
    problems.push({
      pointer: '/sysId',
      message: "Give the body's system id in SEV OVV (1 to 100 characters).",
    });
  }
  const timeoutMs = integer(r, 'timeoutMs', 100, 300_000, problems);
  const concurrency = integer(r, 'concurrency', 1, 64, problems);
  if (problems.length > 0 || url === null || feedUrl === null) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      url,
      feedUrl,
      orgCode: r.orgCode as string,
      sysId: (r.sysId as string).trim(),
      timeoutMs,
      concurrency,
    },
  };
}
