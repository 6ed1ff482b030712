/**
 * What every agency-system simulator offers tests, benchmarks and the demo: a small HTTP server on
 * loopback speaking one protocol, switchable faults, and a count of the effects it accepted per
 * idempotency key (the proof that nothing was registered twice). Each `adapters/<kind>/sim.ts`
 * exports `startSimulator(options)` returning this.
 */
import type { StatusUpdate } from './port.js';

/**
 * - `down`: the connection is refused (the server stops listening until the fault is cleared);
 * - `slow`: replies come after `slowMs` (beyond the adapter's timeout);
 * - `error500`: an internal server error (or a SOAP server fault);
 * - `rate_limited`: 429 with `Retry-After: retryAfterSeconds`;
 * - `duplicate_receipt`: the effect is applied, but the reply claims a duplicate (answers as if seen before);
 * - `reject`: a permanent refusal (4xx, SOAP client fault, ack_type 4);
 * - `malformed`: a 200 reply the adapter cannot read.
 */
export type SimulatorFault =
  | 'down'
  | 'slow'
  | 'error500'
  | 'rate_limited'
  | 'duplicate_receipt'
  | 'reject'
  | 'malformed';

export interface SimulatorOptions {
  /** EDRPOU code of the body this simulator plays. */
  agencyCode: string;
  /** For `slow`. Default 5,000 ms. */
  slowMs?: number;
  /** For `rate_limited`. Default 30 s. */
  retryAfterSeconds?: number;
}

export interface Simulator {
  /** Base URL on 127.0.0.1. */
  readonly url: string;
  /** Adapter settings that reach this simulator (secrets by env-variable name, see `env`). */
  settings(): Record<string, unknown>;
  /** Environment the settings refer to (e.g. the webhook secret), for `CallContext.secret`. */
  env(): Record<string, string>;
  /** Sets (or clears, with null) the fault for the following requests; `times` limits it. */
  fault(fault: SimulatorFault | null, times?: number): void;
  /** How many times the effect of this idempotency key was applied (must never exceed 1). */
  accepted(idempotencyKey: string): number;
  /** Every idempotency key applied, in order. */
  acceptedKeys(): string[];
  /** Requests received, all kinds (for back-off checks). */
  requests(): number;
  /** The body reports a status change for an appeal it holds; `pullStatuses` returns it. */
  report(update: StatusUpdate): void;
  close(): Promise<void>;
}
