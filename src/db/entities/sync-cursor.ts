import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** How far a pull from an outside system has read (the UCC feed, a body's status list). */
export const SyncCursor = defineEntity({
  name: 'SyncCursor',
  tableName: 'sync_cursor',
  properties: {
    name: p.string().length(128).primary(),
    cursor: p.text(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ISyncCursor = InferEntity<typeof SyncCursor>;
