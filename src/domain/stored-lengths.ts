/**
 * The longest text, in characters, that the columns intake fills can hold. The entities declare their
 * columns with these, and intake checks every item against them before it is stored, so that a field
 * too long is that item's clear rejection on every database: PostgreSQL refuses an over-long value,
 * SQLite would have stored it whole.
 */
export const STORED_LENGTHS = {
  externalId: 128,
  registrationNumber: 64,
  personName: 200,
  phone: 32,
  email: 320,
  directLineSession: 128,
  directLineOfficial: 300,
  fileName: 300,
  mimeType: 100,
} as const;
