/** Shared set-up of the Trembita adapter's tests. */
import type { CallContext } from '../port.js';
import { RECIPIENT_CODE, SENDER_CODE } from './fixtures.js';
import { parseTrembitaSettings, type TrembitaSettings } from './settings.js';

export const RAW_SETTINGS = {
  securityServerUrl: 'http://ss1.test.invalid/',
  instance: 'SEVDEIR-TEST',
  client: { memberCode: SENDER_CODE, subsystemCode: 'APPEAL_GATEWAY' },
  service: { memberCode: RECIPIENT_CODE, subsystemCode: 'APPEALS', serviceVersion: 'v1' },
  userId: 'UA/gateway',
};

export function settingsFrom(raw: unknown, overrides: Partial<TrembitaSettings> = {}): TrembitaSettings {
  const parsed = parseTrembitaSettings(raw);
  if (!parsed.ok) throw new Error(`settings rejected: ${JSON.stringify(parsed.problems)}`);
  return { ...parsed.settings, ...overrides };
}

export function context(
  env: Record<string, string> = {},
  signal = new AbortController().signal,
): CallContext {
  return { signal, secret: (name) => env[name] };
}
