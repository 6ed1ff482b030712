import { describe, expect, it } from 'vitest';
import { findTopic } from '../../domain/topics.js';
import { DEFAULT_LOCAL_TOPICS, localTopicMapOf, normaliseLocalTopic } from './local-topics.js';

describe('DEFAULT_LOCAL_TOPICS', () => {
  it('maps every local topic to a classifier topic that exists', () => {
    const missing = DEFAULT_LOCAL_TOPICS.filter((e) => findTopic(e.topicCode)?.code !== e.topicCode);
    expect(missing).toEqual([]);
  });

  it('has no two names with the same lookup key', () => {
    const keys = DEFAULT_LOCAL_TOPICS.map((e) => normaliseLocalTopic(e.localTopic));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('covers the topics a regional hotline hears most', () => {
    const map = localTopicMapOf(DEFAULT_LOCAL_TOPICS);
    expect(map('Субсидії')).toBe('006.01');
    expect(map('Пенсійне забезпечення')).toBe('006.02');
    expect(map('Опалення')).toBe('009.01');
    expect(map('Факти корупції')).toBe('012');
    expect(map('Зруйноване житло')).toBe('010.02');
    expect(DEFAULT_LOCAL_TOPICS.length).toBeGreaterThanOrEqual(20);
  });
});

describe('normaliseLocalTopic', () => {
  it.each([
    ['  Пенсійне   забезпечення ', 'пенсійне забезпечення'],
    ['СУБСИДІЇ', 'субсидії'],
    ['Зв’язок та інтернет', "зв'язок та інтернет"],
    ['Звʼязок та інтернет', "зв'язок та інтернет"],
    ["Зв'язок\tта\u00a0інтернет", "зв'язок та інтернет"],
    ['Субсидії'.normalize('NFD'), 'субсидії'],
  ])('%j → %j', (name, key) => {
    expect(normaliseLocalTopic(name)).toBe(key);
  });

  it('lets a map find a name typed with another apostrophe or case', () => {
    const map = localTopicMapOf(DEFAULT_LOCAL_TOPICS);
    expect(map("ЗВ'ЯЗОК ТА ІНТЕРНЕТ")).toBe('003.03');
    expect(map('Невідома тема')).toBeNull();
  });
});
