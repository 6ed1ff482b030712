import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const AGENCY_KINDS = [
  'oblast_administration',
  'oblast_department',
  'district_administration',
  'city_council',
  'hromada_council',
  'central_body',
  'utility',
  'contact_center',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const ADAPTER_KINDS = ['api', 'sev-ovv', 'trembita', 'webhook'] as const;
export type AdapterKind = (typeof ADAPTER_KINDS)[number];

/** An executive body (or the contact center's own triage queue) that receives appeals. */
export const Agency = defineEntity({
  name: 'Agency',
  tableName: 'agency',
  properties: {
    id: p.uuid().primary(),
    /** EDRPOU, always a string: leading zeros are significant. */
    code: p.string().length(16).unique(),
    name: p.string().length(500),
    shortName: p.string().length(200).nullable(),
    kind: p.enum([...AGENCY_KINDS]),
    parent: () => p.manyToOne(Agency).nullable(),
    /** KATOTTG codes of the territory the body serves. */
    territories: p.json<string[]>(),
    adapterKind: p.enum([...ADAPTER_KINDS]).default('api'),
    adapterSettings: p.json<Record<string, unknown>>(),
    /** True when `code` is a placeholder, not the body's real EDRPOU code. */
    codeIsPlaceholder: p.boolean().default(false),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IAgency = InferEntity<typeof Agency>;
