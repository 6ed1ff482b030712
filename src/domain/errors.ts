/**
 * An error a caller can act on: a stable machine `code`, a message an operator can read and,
 * where it applies, the path of the offending field.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
