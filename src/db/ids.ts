import { randomFillSync } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows written together
 * get neighbouring keys, so primary-key and foreign-key indexes grow at their end instead of at
 * random pages — measurably cheaper bulk intake on SQLite and PostgreSQL alike.
 */
export function newId(now = Date.now()): string {
  const bytes = randomBytes16();
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms & 0xff;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// One call to the system's random source per 256 ids: asking it for 16 bytes at a time cost a
// third of a second per 10,000-appeal batch.
const POOL = new Uint8Array(16 * 256);
let offset = POOL.length;

function randomBytes16(): Uint8Array {
  if (offset + 16 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const out = POOL.slice(offset, offset + 16);
  offset += 16;
  return out;
}
