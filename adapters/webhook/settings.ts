/**
 * An agency's webhook settings, checked when they are saved. The secret itself never appears here:
 * `secretEnv` names the environment variable that holds it.
 */
import type { SettingsProblem } from '../port.js';

export interface WebhookSettings {
  /** Deliveries are POSTed here; `/health` is appended for the health check. */
  url: string;
  /** The status feed; `${url}/statuses` unless given. */
  statusUrl: string;
  /** The body's list of open copies, for the nightly reconcile; null: the body cannot list them. */
  openUrl: string | null;
  secretEnv: string;
  timeoutMs: number;
  /** How many deliveries to this body the dispatcher may have in flight at once. */
  concurrency: number;
}

export type ParsedSettings =
  | { ok: true; settings: WebhookSettings }
  | { ok: false; problems: SettingsProblem[] };

const KEYS = ['url', 'statusUrl', 'openUrl', 'secretEnv', 'timeoutMs', 'concurrency'];
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export function parseWebhookSettings(raw: unknown): ParsedSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: [{ pointer: '', message: 'Webhook settings must be a JSON object' }] };
  const o = raw as Record<string, unknown>;
  const problems: SettingsProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ pointer: pointer(key), message });

  for (const key of Object.keys(o)) {
    if (KEYS.includes(key)) continue;
    if (/secret|token|password/i.test(key))
      problem(
        key,
        'Secrets are not stored in settings: put it in an environment variable named by secretEnv',
      );
    else problem(key, `Unknown setting; expected ${KEYS.join(', ')}`);
  }

  const url = httpUrl(o.url, true, (m) => problem('url', m));
  const statusUrl =
    o.statusUrl === undefined
      ? url && `${url}/statuses`
      : httpUrl(o.statusUrl, false, (m) => problem('statusUrl', m));
  const openUrl =
    o.openUrl === undefined || o.openUrl === null
      ? null
      : httpUrl(o.openUrl, false, (m) => problem('openUrl', m));
  if (typeof o.secretEnv !== 'string' || !ENV_NAME.test(o.secretEnv))
    problem(
      'secretEnv',
      'Required: the name of the environment variable holding the secret, e.g. WEBHOOK_SECRET_99923101',
    );
  const timeoutMs = integer(o.timeoutMs, 10_000, 100, 120_000, (m) => problem('timeoutMs', m));
  const concurrency = integer(o.concurrency, 4, 1, 64, (m) => problem('concurrency', m));

  if (problems.length > 0 || url === null || statusUrl === null) return { ok: false, problems };
  return {
    ok: true,
    settings: { url, statusUrl, openUrl, secretEnv: o.secretEnv as string, timeoutMs, concurrency },
  };
}

/** An http(s) URL without credentials; the base `url` also without query or fragment, trailing slash dropped. */
function httpUrl(v: unknown, base: boolean, problem: (m: string) => void): string | null {
  const trouble = urlProblem(v, base);
  if (trouble) {
    problem(trouble);
    return null;
  }
  return base ? (v as string).replace(/\/+$/, '') : (v as string);
}

function urlProblem(v: unknown, base: boolean): string | null {
  if (v === undefined) return 'Required: an http or https URL';
  if (typeof v !== 'string' || !URL.canParse(v)) return 'Must be an absolute http or https URL';
  const url = new URL(v);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Must use http or https';
  if (url.username || url.password) return 'Must not carry credentials: requests are signed instead';
  if (base && (url.search || url.hash)) return 'Must not have a query or fragment: paths are appended to it';
  return null;
}

function integer(
  v: unknown,
  fallback: number,
  min: number,
  max: number,
  problem: (m: string) => void,
): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  problem(`Must be a whole number from ${min} to ${max}`);
  return fallback;
}

/** RFC 6901: a key as one JSON pointer segment. */
function pointer(key: string): string {
  return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
