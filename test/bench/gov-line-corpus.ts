/** A realistic UCC batch for benchmarks: varied Ukrainian names, phones, topics and territories. */
const SURNAMES = [
  'Коваленко',
  'Бондаренко',
  'Ткаченко',
  'Шевченко',
  'Кравченко',
  'Олійник',
  'Мельник',
  'Поліщук',
  'Савченко',
  'Руденко',
];
const NAMES = [
  'Олена',
  'Микола',
  'Ірина',
  'Василь',
  'Наталія',
  'Сергій',
  'Тетяна',
  'Андрій',
  'Галина',
  'Петро',
];
const PATRONYMICS = ['Петрівна', 'Іванович', 'Олександрівна', 'Миколайович', 'Степанівна', 'Васильович'];
const TOPICS = [
  '006.01',
  '006.02',
  '009.01',
  '009.02',
  '008.01',
  '003.02',
  '010.02',
  '015.01',
  '002.01',
  '021',
];
const PLACES: [string, string][] = [
  ['UA23060070010069526', 'м. Запоріжжя'],
  ['UA23080070010092407', 'м. Мелітополь'],
  ['UA23020050010019935', 'м. Бердянськ'],
  ['UA23060030010056906', 'м. Вільнянськ'],
  ['UA23040110010044100', 'м. Енергодар'],
];
const TEXTS = [
  'Прошу перерахувати житлову субсидію: нарахування зменшилося без пояснень, а тарифи зросли.',
  'Третій тиждень немає гарячої води в під’їзді; керуюча компанія на звернення не відповідає.',
  'Не можу записатися до сімейного лікаря: електронна черга не працює, у реєстратурі відмовляють.',
  'Прошу відремонтувати дорогу на нашій вулиці: після зими ями глибиною до пів метра.',
  'Пенсію за жовтень не нараховано; у Пенсійному фонді кажуть чекати, а жити нема за що.',
];

const SYLLABLES = [
  'ба',
  'ве',
  'го',
  'ду',
  'же',
  'зі',
  'ко',
  'лу',
  'ми',
  'но',
  'пе',
  'ро',
  'су',
  'ті',
  'ха',
  'це',
];
/** A distinct made-up word per appeal, so that texts differ the way real ones do. */
const word = (i: number) => [0, 1, 2, 3].map((k) => SYLLABLES[(i >> (k * 4)) & 15]).join('');

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

export function corpusHeader(i: number): string {
  const [territory, city] = pick(PLACES, i * 7);
  const phone = `+38067${String(1_000_000 + i).padStart(7, '0')}`;
  const day = String(1 + (i % 27)).padStart(2, '0');
  return `<Header standart="1207" version="1.5" charset="UTF-8" time="2026-11-${day}T09:16:02+02:00" msg_type="1" msg_id="bench-${i}" msg_acknow="2" from_org_id="37471967" from_organization="Урядовий контактний центр" from_sys_id="UCC" from_system="ЄСОЗ" to_org_id="03345678" to_organization="Запорізький обласний контактний центр" to_sys_id="ZOKC" to_system="Шлюз">
  <Document idnumber="1545-BENCH-${i}" type="2" purpose_type="3" urgent="0" annotation="${pick(TEXTS, i)} Мешкаю в житловому комплексі «${word(i)}».">
    <RegNumber regdate="2026-11-${day}">Т-${900000 + i}</RegNumber>
    <Confident flag="0"/>
    <Author><PrivatePerson>
      <Name secname="${pick(SURNAMES, i)}" firstname="${pick(NAMES, i * 3)}" fathersname="${pick(PATRONYMICS, i * 5)}"/>
      <Rank socialposition="8.1" sex="${i % 2 ? 1 : 2}"${i % 9 === 0 ? ' privilege="7.5"' : ''}/>
      <Address postcode="69001" region="Запорізька обл." settlement="${city}" street="вул. Соборна" house="${1 + (i % 200)}" flat="${1 + (i % 90)}"/>
      <Econtact type="м">${phone}</Econtact>
    </PrivatePerson></Author>
    <Writer><Organization ogrn="37471967" fullname="Урядовий контактний центр"/></Writer>
  </Document>
  <Expansion organization="37471967" exp_ver="1.0"><StaticExpansion/>
    <AppealCard topic="${pick(TOPICS, i * 11)}" territory="${territory}" channel="1545" form="1.1.1" receipt_sign="2.1" subject="5.1" kind="3.2" registered="2026-11-${day}T09:15:00+02:00"/>
  </Expansion>
</Header>`;
}

export function corpusBatch(n: number, offset = 0): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch>'];
  for (let i = 0; i < n; i++) parts.push(corpusHeader(offset + i));
  parts.push('</AppealBatch>\n');
  return parts.join('\n');
}
