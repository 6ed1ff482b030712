/** The table operators edit: the regional call-center's flat topic names → classifier topics. */

import type { EntityManager } from '@mikro-orm/knex';
import { LocalTopic } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { DomainError } from '../domain/errors.js';
import { findTopic } from '../domain/topics.js';
import { DEFAULT_LOCAL_TOPICS, normaliseLocalTopic } from './regional-line/local-topics.js';
import type { LocalTopicMap } from './regional-line/read.js';

export async function loadLocalTopicMap(em: EntityManager): Promise<LocalTopicMap> {
  const rows = await em.find(LocalTopic, {});
  const map = new Map(rows.map((r) => [r.key, r.topicCode]));
  return (name) => map.get(normaliseLocalTopic(name)) ?? null;
}

export async function setLocalTopic(em: EntityManager, localTopic: string, topicCode: string) {
  const name = localTopic.trim().replace(/\s+/g, ' ');
  if (!name) throw new DomainError('FIELD_REQUIRED', 'the local topic name is empty', 'localTopic');
  if (!findTopic(topicCode))
    throw new DomainError('UNKNOWN_TOPIC', `no classifier topic ${topicCode}`, 'topicCode');
  const key = normaliseLocalTopic(name);
  const existing = await em.findOne(LocalTopic, { key });
  if (existing) {
    existing.localTopic = name;
    existing.topicCode = topicCode;
  } else {
    em.create(LocalTopic, { id: newId(), key, localTopic: name, topicCode });
  }
  await em.flush();
  return em.findOneOrFail(LocalTopic, { key });
}

export async function removeLocalTopic(em: EntityManager, localTopic: string): Promise<boolean> {
  return (await em.nativeDelete(LocalTopic, { key: normaliseLocalTopic(localTopic) })) > 0;
}

/** Fills an empty table with the default list; leaves an edited one alone. */
export async function seedLocalTopics(em: EntityManager): Promise<number> {
  if ((await em.count(LocalTopic)) > 0) return 0;
  for (const t of DEFAULT_LOCAL_TOPICS) {
    em.create(LocalTopic, {
      id: newId(),
      key: normaliseLocalTopic(t.localTopic),
      localTopic: t.localTopic,
      topicCode: t.topicCode,
    });
  }
  await em.flush();
  return DEFAULT_LOCAL_TOPICS.length;
}
