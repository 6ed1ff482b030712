/**
 * Checks a ruleset document as a whole: its JSON Schema (`schema/routing/ruleset.schema.json`) first,
 * then what the schema cannot say (checkRuleSet: the directory, the classifier, KATOTTG, shadowed
 * rules). Every problem carries a JSON pointer into the document and a stable code.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import rulesetSchema from '../../schema/routing/ruleset.schema.json' with { type: 'json' };
import { type RuleSetDocument, TRIAGE } from '../domain/routing/types.js';
import { checkRuleSet, type RuleSetProblem } from '../domain/routing/validate.js';
import type { RoutingDirectory } from './directory.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validateSchema = ajv.compile(rulesetSchema);

function schemaProblem(e: ErrorObject): RuleSetProblem {
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return {
      pointer: `${e.instancePath}/${missing}`,
      code: e.instancePath === '' && missing === 'default' ? 'MISSING_DEFAULT' : 'REQUIRED',
      message:
        e.instancePath === '' && missing === 'default'
          ? 'the ruleset needs a default: where appeals go when no rule matches (usually "triage")'
          : `${missing} is required`,
    };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return {
      pointer: `${e.instancePath}/${extra}`,
      code: 'UNKNOWN_FIELD',
      message: `unknown field ${extra}`,
    };
  }
  return {
    pointer: e.instancePath || '/',
    code: `SCHEMA_${e.keyword.toUpperCase()}`,
    message: e.message ?? 'invalid',
  };
}

export function validateRuleSetDocument(
  doc: unknown,
  directory: RoutingDirectory,
): { document: RuleSetDocument | null; problems: RuleSetProblem[] } {
  if (!validateSchema(doc)) {
    // oneOf failures repeat the same pointer per branch: one problem per pointer and code is enough.
    const seen = new Set<string>();
    const problems = (validateSchema.errors ?? []).map(schemaProblem).filter((p) => {
      const key = `${p.pointer} ${p.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { document: null, problems };
  }
  const document = doc as unknown as RuleSetDocument;
  const problems = checkRuleSet(document, directory.activeCodes);
  const usesTriage =
    document.default.responsible === TRIAGE || document.rules.some((r) => r.then.responsible === TRIAGE);
  if (usesTriage && directory.triageCode === null) {
    problems.push({
      pointer: '/default/responsible',
      code: 'NO_TRIAGE_QUEUE',
      message: 'the directory has no active contact-center body to stand for "triage"',
    });
  }
  return { document, problems };
}
