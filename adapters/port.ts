/**
 * The one contract every agency adapter implements. The gateway's dispatcher calls `forward` for
 * each delivery (the same idempotency key on every attempt, so a body that saw it before answers
 * with the same receipt and does nothing twice), `pullStatuses` on a schedule, and `health` for the
 * operators' overview. Adapters never throw for what a remote system does: a refusal, a timeout, a
 * fault or a reply that cannot be read comes back as a typed failure that says whether retrying can
 * help. They import only types from `src/domain` and this file.
 */
import type { AppealKind, AppealSubject, ResultCode, SourceLine } from '../src/domain/appeal.js';

export type RecipientRole = 'responsible' | 'co_executor' | 'for_information';

/** A person as the recipient may see them: personal fields already withheld where the law says so. */
export interface PayloadPerson {
  lastName: string | null;
  firstName: string | null;
  patronymic: string | null;
  /** Withheld (null) for copies for information and under a non-disclosure request. */
  phone: string | null;
  email: string | null;
  address: string | null;
  /** Classifier section 7 codes. */
  categories: string[];
  /** Classifier section 8 code. */
  socialStatus: string | null;
  sex: 'male' | 'female' | null;
}

export interface PayloadAttachment {
  fileName: string;
  mimeType: string;
  contentBase64: string;
}

/** What one body receives about one appeal. Times are ISO 8601 in UTC; codes are strings. */
export interface DeliveryPayload {
  appealId: string;
  /** The contact center's registration number (or the UCC's). */
  registrationNumber: string | null;
  source: SourceLine;
  externalId: string | null;
  receivedAt: string;
  /** The law's deadline for the answer. */
  dueAt: string;
  kind: AppealKind;
  subject: AppealSubject;
  /** Classifier section II code, e.g. 006.01, and its Ukrainian label. */
  topicCode: string;
  topicLabel: string;
  /** KATOTTG, normalised. */
  territoryCode: string | null;
  summary: string;
  urgent: boolean;
  /** A privileged author category (classifier section 7). */
  priority: boolean;
  /** The citizen asked not to disclose name and address (Art. 10). */
  nonDisclosure: boolean;
  /** The first author; null for an anonymous appeal or when withheld. */
  author: PayloadPerson | null;
  /** Further authors of a collective appeal (names only, or nothing when withheld). */
  coAuthors: PayloadPerson[];
  /** Only the responsible body gets the files. */
  attachments: PayloadAttachment[];
  recipient: { code: string; name: string; role: RecipientRole };
  /** The sender, for protocols that name both ends (SEV OVV, Trembita). */
  sender: { code: string; name: string };
  routing: { reason: string | null; ruleId: string | null; ruleSetVersion: number | null };
  /** Why personal data travels: logged by the gateway and, on Trembita, sent as the purpose. */
  purpose: string;
}

/** How far the body got with the appeal when it answered the forward. */
export type ReceiptLevel = 'delivered' | 'accepted' | 'registered';

export interface Receipt {
  level: ReceiptLevel;
  /** The body's own id of the appeal (its message or record id), when it gives one. */
  agencyRef: string | null;
  /** The body's registration number, once registered. */
  registrationNumber: string | null;
  /** A short description for the delivery log (e.g. "ack_type=3"). */
  detail: string;
}

export interface DeliveryFailure {
  /** Whether the same request later can succeed (timeouts, 5xx, 408/429, server faults). */
  retryable: boolean;
  /** Stable code, e.g. HTTP_503, TIMEOUT, SOAP_CLIENT_FAULT, ACK_REJECTED, MALFORMED_REPLY. */
  code: string;
  message: string;
  /** The body asked to wait this long (Retry-After). */
  retryAfterMs?: number;
}

export type ForwardOutcome = { ok: true; receipt: Receipt } | { ok: false; failure: DeliveryFailure };

/** A change the body reports about its copy of an appeal. */
export interface StatusUpdate {
  /** The gateway's appeal id as the body echoes it back (it was sent in the payload). */
  appealId: string;
  /** The body's id of this change, unique per body: the de-duplication key. */
  externalEventId: string;
  event: 'deliver' | 'accept' | 'extend' | 'answer' | 'forward' | 'reject' | 'return';
  occurredAt: string;
  result: ResultCode | null;
  /** The body's registration number, when the update carries it. */
  registrationNumber: string | null;
  /** A new due date, for `extend`. */
  dueAt: string | null;
  note: string | null;
}

/**
 * A change the body reported with a code the adapter's mapping table does not know: never applied
 * (and never guessed as some default status), only logged, so that the table can be extended.
 */
export interface UnmappedStatus {
  externalEventId: string;
  /** The body's code as it sent it, e.g. `archived` or `Acknowledgement@ack_type=7`. */
  code: string;
  appealId: string | null;
}

export type PullOutcome =
  | { ok: true; updates: StatusUpdate[]; unmapped: UnmappedStatus[]; cursor: string | null }
  | { ok: false; failure: DeliveryFailure };

/** A copy the body's system holds open, as its list of open copies says (for the nightly reconcile). */
export interface OpenCopy {
  /** The gateway's appeal id, as the body echoes it back. */
  appealId: string;
  /** Its state in the gateway's vocabulary (the adapter maps the body's codes); null when unknown. */
  state: string | null;
  /** The body's own reference, if it has one. */
  externalRef: string | null;
}

export type ListOpenOutcome = { ok: true; items: OpenCopy[] } | { ok: false; failure: DeliveryFailure };

export interface HealthOutcome {
  ok: boolean;
  detail: string;
}

/** Per call: a deadline and, for the audit trail, nothing else. */
export interface CallContext {
  signal: AbortSignal;
  /** Looks up a secret named in the settings (e.g. `secretEnv: "WEBHOOK_SECRET_99923101"`). */
  secret(name: string): string | undefined;
}

export interface SettingsProblem {
  /** JSON pointer into the settings. */
  pointer: string;
  message: string;
}

export interface Adapter<Settings = unknown> {
  readonly kind: 'api' | 'sev-ovv' | 'trembita' | 'webhook';
  /** Whether the gateway pushes deliveries (false for `api`: bodies pull through GraphQL). */
  readonly pushes: boolean;
  /** Checks an agency's settings when they are saved. */
  parseSettings(raw: unknown): { ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] };
  forward(
    payload: DeliveryPayload,
    settings: Settings,
    idempotencyKey: string,
    ctx: CallContext,
  ): Promise<ForwardOutcome>;
  pullStatuses(settings: Settings, cursor: string | null, ctx: CallContext): Promise<PullOutcome>;
  health(settings: Settings, ctx: CallContext): Promise<HealthOutcome>;
  /**
   * The body's open copies, for the nightly reconcile; absent when the body's system cannot list
   * them, and answering null when these settings name no place to ask.
   */
  listOpen?(settings: Settings, ctx: CallContext): Promise<ListOpenOutcome | null>;
}

/** Retry rules shared by HTTP-based adapters: 408, 429 and 5xx may pass later; other 4xx never. */
export function httpFailure(status: number, message: string, retryAfter?: string | null): DeliveryFailure {
  const retryable = status === 408 || status === 429 || status >= 500;
  const failure: DeliveryFailure = { retryable, code: `HTTP_${status}`, message };
  const ms = retryAfterMs(retryAfter ?? null);
  if (ms !== null) failure.retryAfterMs = ms;
  return failure;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
