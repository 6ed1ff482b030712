/**
 * Seed directory: the executive bodies a regional contact center of the Zaporizhzhia oblast
 * routes appeals to. Territory codes are real KATOTTG codes (codifier release of 16.05.2025).
 *
 * EDRPOU CODES HERE ARE FICTITIOUS. The real codes were not verified offline, so every body
 * carries a placeholder from the range 99923xxx (no real legal entity is expected there) and
 * `codeIsPlaceholder: true`. Replace them with the real codes from the Unified State Register
 * before connecting a real system: SEV OVV and Trembita address bodies by EDRPOU.
 * Department names follow the usual structure of an oblast administration; check them against
 * the current structure of the administration before going live.
 */
import type { AgencyKind } from '../db/entities/agency.js';

export interface SeedAgency {
  code: string;
  name: string;
  shortName: string;
  kind: AgencyKind;
  parentCode: string | null;
  territories: string[];
  codeIsPlaceholder: boolean;
}

const OBLAST = 'UA23000000000064947';
const OVA = '99923000';

const agency = (
  code: string,
  kind: AgencyKind,
  name: string,
  shortName: string,
  territories: string[],
  parentCode: string | null = OVA,
): SeedAgency => ({ code, name, shortName, kind, parentCode, territories, codeIsPlaceholder: true });

const department = (code: string, name: string, shortName: string) =>
  agency(code, 'oblast_department', name, shortName, [OBLAST]);

const district = (code: string, name: string, shortName: string, territory: string) =>
  agency(code, 'district_administration', name, shortName, [territory]);

export const ZAPORIZHZHIA_AGENCIES: readonly SeedAgency[] = [
  agency(
    OVA,
    'oblast_administration',
    'Запорізька обласна військова адміністрація',
    'Запорізька ОВА',
    [OBLAST],
    null,
  ),
  department(
    '99923101',
    'Департамент соціального захисту населення Запорізької обласної державної адміністрації',
    'ДСЗН ОДА',
  ),
  department(
    '99923102',
    'Департамент охорони здоров’я Запорізької обласної державної адміністрації',
    'ДОЗ ОДА',
  ),
  department(
    '99923103',
    'Департамент освіти і науки Запорізької обласної державної адміністрації',
    'ДОН ОДА',
  ),
  department(
    '99923104',
    'Департамент житлово-комунального господарства та будівництва Запорізької обласної державної адміністрації',
    'ДЖКГ ОДА',
  ),
  department(
    '99923105',
    'Департамент з питань транспорту та автомобільних доріг Запорізької обласної державної адміністрації',
    'ДТАД ОДА',
  ),
  department(
    '99923106',
    'Департамент агропромислового розвитку Запорізької обласної державної адміністрації',
    'ДАПР ОДА',
  ),
  department(
    '99923107',
    'Департамент захисту довкілля та природних ресурсів Запорізької обласної державної адміністрації',
    'ДЗД ОДА',
  ),
  department(
    '99923108',
    'Департамент економічного розвитку Запорізької обласної державної адміністрації',
    'ДЕР ОДА',
  ),
  department('99923109', 'Служба у справах дітей Запорізької обласної державної адміністрації', 'ССД ОДА'),
  department(
    '99923110',
    'Департамент культури, туризму, національностей та релігій Запорізької обласної державної адміністрації',
    'ДКТНР ОДА',
  ),
  district('99923201', 'Бердянська районна військова адміністрація', 'Бердянська РВА', 'UA23020000000032289'),
  district(
    '99923202',
    'Василівська районна військова адміністрація',
    'Василівська РВА',
    'UA23040000000067730',
  ),
  district('99923203', 'Запорізька районна військова адміністрація', 'Запорізька РВА', 'UA23060000000070350'),
  district(
    '99923204',
    'Мелітопольська районна військова адміністрація',
    'Мелітопольська РВА',
    'UA23080000000090746',
  ),
  district(
    '99923205',
    'Пологівська районна військова адміністрація',
    'Пологівська РВА',
    'UA23100000000034132',
  ),
  agency(
    '99923301',
    'city_council',
    'Запорізька міська рада',
    'Запорізька міська рада',
    ['UA23060070010069526'],
    null,
  ),
  agency(
    '99923900',
    'contact_center',
    'Запорізький обласний контактний центр — черга розподілу звернень',
    'Контактний центр (розподіл)',
    [OBLAST],
    null,
  ),
];

/** The contact center's own queue: where an appeal goes when no rule names a body. */
export const TRIAGE_AGENCY_CODE = '99923900';
