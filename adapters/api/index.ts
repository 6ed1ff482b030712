/**
 * Bodies with no system of their own: nothing is pushed. The assignment is available to the body's
 * principal through the gateway's GraphQL API the moment it exists, and the body reports its status
 * changes through GraphQL mutations; so forward is never needed and there is nothing to pull.
 */
import type { Adapter } from '../port.js';

export type ApiSettings = Record<string, never>;

export const apiAdapter: Adapter<ApiSettings> = {
  kind: 'api',
  pushes: false,
  parseSettings(raw) {
    if (raw === null || raw === undefined) return { ok: true, settings: {} };
    if (typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length > 0) {
      return { ok: false, problems: [{ pointer: '', message: 'the api adapter takes no settings: use {}' }] };
    }
    return { ok: true, settings: {} };
  },
  async forward() {
    return {
      ok: true,
      receipt: {
        level: 'delivered',
        agencyRef: null,
        registrationNumber: null,
        detail: 'available through the gateway API',
      },
    };
  },
  async pullStatuses() {
    return { ok: true, updates: [], unmapped: [], cursor: null };
  },
  async health() {
    return { ok: true, detail: 'the body works the gateway API' };
  },
};
