/**
 * The regional contact center's flat local topic list ("Субсидії", "Опалення", …) and the seed of its
 * mapping to classifier topic codes (Cabinet resolution No. 858, section II). Operators edit the live
 * table; this is only the starting point, so every code here must exist in `domain/topics.ts`.
 */

/** A classifier topic code for a local topic name, or null when the table does not know the name. */
export type LocalTopicMap = (localTopic: string) => string | null;

export interface LocalTopicEntry {
  localTopic: string;
  topicCode: string;
}

export const DEFAULT_LOCAL_TOPICS: readonly LocalTopicEntry[] = [
  { localTopic: 'Субсидії', topicCode: '006.01' },
  { localTopic: 'Пенсійне забезпечення', topicCode: '006.02' },
  { localTopic: 'Соціальна допомога', topicCode: '006.03' },
  { localTopic: 'Гуманітарна допомога', topicCode: '006' },
  { localTopic: 'Соціальна допомога ВПО', topicCode: '006.04' },
  { localTopic: 'Виплати військовослужбовцям', topicCode: '006.05' },
  { localTopic: 'Особи з інвалідністю', topicCode: '006.06' },
  { localTopic: 'Заборгованість із зарплати', topicCode: '007.01' },
  { localTopic: 'Працевлаштування', topicCode: '007.02' },
  { localTopic: 'Медична допомога', topicCode: '008.01' },
  { localTopic: 'Ліки', topicCode: '008.02' },
  { localTopic: 'Опалення', topicCode: '009.01' },
  { localTopic: 'Водопостачання', topicCode: '009.02' },
  { localTopic: 'Електропостачання', topicCode: '009.03' },
  { localTopic: 'Газопостачання', topicCode: '009.04' },
  { localTopic: 'Утримання будинків', topicCode: '009.05' },
  { localTopic: 'Вивезення сміття', topicCode: '009.06' },
  { localTopic: 'Благоустрій', topicCode: '009.07' },
  { localTopic: 'Тарифи', topicCode: '004.01' },
  { localTopic: 'Ремонт доріг', topicCode: '003.02' },
  { localTopic: 'Громадський транспорт', topicCode: '003.01' },
  { localTopic: 'Зв’язок та інтернет', topicCode: '003.03' },
  { localTopic: 'Освіта', topicCode: '015' },
  { localTopic: 'Школи', topicCode: '015.02' },
  { localTopic: 'Дитячі садки', topicCode: '015.01' },
  { localTopic: 'Земельні питання', topicCode: '002.01' },
  { localTopic: 'Факти корупції', topicCode: '012' },
  { localTopic: 'Зруйноване житло', topicCode: '010.02' },
  { localTopic: 'Житло для ВПО', topicCode: '010.01' },
  { localTopic: 'Робота органів місцевого самоврядування', topicCode: '021' },
  { localTopic: 'Інше', topicCode: '024' },
];

/**
 * The lookup key of a local topic: operators type the same name with stray spaces, another case or
 * another apostrophe (' ’ ʼ), and a name must still find its row.
 */
export function normaliseLocalTopic(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLocaleLowerCase('uk')
    .replace(/[’ʼ‘`´]/g, "'");
}

/** A `LocalTopicMap` over a fixed list of entries, keyed by `normaliseLocalTopic`. */
export function localTopicMapOf(entries: readonly LocalTopicEntry[]): LocalTopicMap {
  const byKey = new Map(entries.map((e) => [normaliseLocalTopic(e.localTopic), e.topicCode]));
  return (localTopic) => byKey.get(normaliseLocalTopic(localTopic)) ?? null;
}
