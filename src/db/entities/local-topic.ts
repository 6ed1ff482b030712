import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** The regional call-center's flat topic name → a classifier topic; operators edit this table. */
export const LocalTopic = defineEntity({
  name: 'LocalTopic',
  tableName: 'local_topic',
  properties: {
    id: p.uuid().primary(),
    /** Lookup key: trimmed, lower-cased, apostrophes folded. */
    key: p.string().length(200).unique(),
    localTopic: p.string().length(200),
    topicCode: p.string().length(16),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ILocalTopic = InferEntity<typeof LocalTopic>;
