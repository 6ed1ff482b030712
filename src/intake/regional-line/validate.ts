/**
 * Schema check of one regional hotline card (`schema/regional-line/appeal.schema.json`, JSON Schema
 * 2020-12, ajv). Every ajv error becomes a problem with a stable code, the JSON pointer of the field
 * and an English message that names the field the way an operator reads it (`author.phone`).
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import appealSchema from '../../../schema/regional-line/appeal.schema.json' with { type: 'json' };
import { INTAKE_LIMITS } from '../types.js';

/** A card as the schema guarantees it (classifier values still as codes). */
export interface RegionalCard {
  cardId: string;
  registrationNumber?: string | null;
  registeredAt: string;
  channel?: 'regional_hotline' | 'direct_line' | 'web' | 'other';
  kind: string;
  subject?: string;
  receiptSign?: string | null;
  receiptForm?: string | null;
  topic?: string;
  localTopic?: string;
  territory?: string | null;
  summary?: string | null;
  urgent?: boolean;
  nonDisclosure?: boolean;
  author?: RegionalAuthor | null;
  coAuthors?: RegionalCoAuthor[];
  directLine?: { sessionId: string; agencyCode: string; officialName?: string | null } | null;
  complaintAbout?: string | null;
  attachments?: { fileName: string; mimeType: string; contentBase64: string }[];
}

export interface RegionalCoAuthor {
  lastName?: string | null;
  firstName?: string | null;
  patronymic?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
}

export interface RegionalAuthor extends RegionalCoAuthor {
  categories?: string[];
  socialStatus?: string | null;
  sex?: string | null;
}

/** A reason a card cannot be read; `path` is a JSON pointer relative to the card. */
export interface Problem {
  path: string;
  code: string;
  message: string;
}

// ajv-formats is CommonJS: under NodeNext its default import is the module object, at run time the plugin.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, verbose: true });
addFormats(ajv, ['date-time', 'email']);
const validate = ajv.compile<RegionalCard>(appealSchema);

export type CardValidation = { ok: true; card: RegionalCard } | { ok: false; problems: Problem[] };

export function validateCard(card: unknown): CardValidation {
  if (validate(card)) return { ok: true, card };
  const problems: Problem[] = [];
  // ajv reports the card-wide rules (oneOf, if/then) first; a missing or mistyped field reads better first.
  const errors = [...(validate.errors ?? [])].sort((a, b) => Number(isCardRule(a)) - Number(isCardRule(b)));
  const seen = new Set<string>();
  for (const error of errors) {
    const problem = problemOf(error);
    const key = problem && `${problem.code} ${problem.path}`;
    if (problem && key && !seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return { ok: false, problems };
}

const isCardRule = (e: ErrorObject) => /^#\/(oneOf|if|then)\b/.test(e.schemaPath);

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** '/coAuthors/1/lastName' → 'coAuthors[1].lastName': how the field is named in messages. */
export function fieldName(pointer: string): string {
  if (pointer === '') return 'the card';
  return pointer
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, key) => (/^\d+$/.test(key) ? `${name}[${key}]` : name ? `${name}.${key}` : key), '');
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const article = (type: string) =>
  type === 'null' ? 'null' : type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;

const FORMAT_HINTS: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time with a zone offset, e.g. 2026-03-02T09:15:00+02:00',
  email: 'an e-mail address (or null when there is none)',
};

function problemOf(e: ErrorObject): Problem | null {
  const at = e.instancePath;
  const field = `"${fieldName(at)}"`;
  // The topic/localTopic rule: the branch errors say nothing useful on their own.
  if (e.schemaPath.startsWith('#/oneOf/') || e.keyword === 'if') return null;
  // On a card that is not an object the rule is meaningless: its type error says it all.
  if (
    isCardRule(e) &&
    e.instancePath === '' &&
    (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data))
  )
    return null;
  if (e.schemaPath === '#/oneOf') {
    return Array.isArray(e.params.passingSchemas)
      ? {
          path: '/localTopic',
          code: 'SCHEMA_VIOLATION',
          message: 'Give either "topic" or "localTopic", not both',
        }
      : {
          path: '/topic',
          code: 'FIELD_REQUIRED',
          message: 'Either "topic" (a classifier code) or "localTopic" (the local topic name) is required',
        };
  }
  if (e.schemaPath.startsWith('#/then/')) {
    return {
      path: '/channel',
      code: 'INCONSISTENT_CHANNEL',
      message: 'A card with "directLine" must have "channel": "direct_line"',
    };
  }
  switch (e.keyword) {
    case 'required': {
      const path = `${at}/${escapePointer(String(e.params.missingProperty))}`;
      return { path, code: 'FIELD_REQUIRED', message: `Required field "${fieldName(path)}" is missing` };
    }
    case 'additionalProperties': {
      const path = `${at}/${escapePointer(String(e.params.additionalProperty))}`;
      return { path, code: 'UNKNOWN_FIELD', message: `Unknown field "${fieldName(path)}"` };
    }
    case 'type': {
      const expected = String(e.params.type).split(',').map(article).join(' or ');
      const message = `${at === '' ? 'The card' : field} must be ${expected}, got ${typeOfValue(e.data)}`;
      return { path: at, code: 'WRONG_TYPE', message };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      const given = JSON.stringify(e.data).slice(0, 50);
      return { path: at, code: 'UNKNOWN_CODE', message: `${field} must be one of ${allowed}; got ${given}` };
    }
    case 'format': {
      const hint = FORMAT_HINTS[String(e.params.format)] ?? String(e.params.format);
      return { path: at, code: 'INVALID_FORMAT', message: `${field} must be ${hint}` };
    }
    case 'pattern': {
      const hint = at.endsWith('/agencyCode')
        ? 'an 8-digit EDRPOU code written as a string'
        : e.params.pattern;
      return { path: at, code: 'INVALID_FORMAT', message: `${field} must be ${hint}` };
    }
    case 'maxLength':
      if (at.endsWith('/contentBase64')) {
        const mib = INTAKE_LIMITS.maxAttachmentBytes / 1024 / 1024;
        const message = `Attachment "${fieldName(at.slice(0, -'/contentBase64'.length))}" is larger than ${mib} MiB`;
        return { path: at, code: 'ATTACHMENT_TOO_LARGE', message };
      }
      return { path: at, code: 'TOO_LONG', message: `${field} is longer than ${e.params.limit} characters` };
    case 'minLength':
      return { path: at, code: 'SCHEMA_VIOLATION', message: `${field} must not be empty` };
    case 'maxItems':
      return {
        path: at,
        code: 'SCHEMA_VIOLATION',
        message: `${field} has more than ${e.params.limit} items`,
      };
    default:
      return { path: at, code: 'SCHEMA_VIOLATION', message: `${field} ${e.message ?? 'is invalid'}` };
  }
}
