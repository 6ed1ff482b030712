/**
 * A realistic UCC batch for benchmarks, shaped like the messages in schema/gov-line/examples: the
 * full 1207 envelope, an essence of a few hundred to about 1,500 characters of Ukrainian text (made
 * of sentences operators actually write, so no two appeals share a text), a full author block (name,
 * rank, address, one or two contacts), the AppealCard expansion; one in 25 is collective (three
 * authors), one in 20 carries a scanned document in DocTransfer (base64, 3 to 12 KB decoded).
 */
const SURNAMES = ['Коваленко', 'Бондаренко', 'Ткаченко', 'Шевченко', 'Кравченко', 'Олійник', 'Мельник'];
const SURNAMES_MORE = ['Поліщук', 'Савченко', 'Руденко', 'Гриценко', 'Мороз', 'Шевчук', 'Лисенко'];
const NAMES = ['Олена', 'Микола', 'Ірина', 'Василь', 'Наталія', 'Сергій', 'Тетяна', 'Андрій', 'Галина'];
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
const PLACES: [string, string, string][] = [
  ['UA23060070010069526', 'м. Запоріжжя', 'Шевченківський р-н'],
  ['UA23080070010092407', 'м. Мелітополь', ''],
  ['UA23020050010019935', 'м. Бердянськ', ''],
  ['UA23060030010056906', 'м. Вільнянськ', 'Запорізький р-н'],
  ['UA23040110010044100', 'м. Енергодар', ''],
];
const STREETS = ['вул. Соборна', 'просп. Соборний', 'вул. Сергія Синенка', 'вул. Тбіліська', 'вул. Перемоги'];
/** Sentences of the kind operators write into the essence: a complaint, its history, a request. */
const SENTENCES = [
  'Прошу перерахувати житлову субсидію: нарахування зменшилося без пояснень, а тарифи зросли.',
  'Третій тиждень немає гарячої води в під’їзді; керуюча компанія на звернення не відповідає.',
  'Не можу записатися до сімейного лікаря: електронна черга не працює, у реєстратурі відмовляють.',
  'Прошу відремонтувати дорогу на нашій вулиці: після зими ями глибиною до пів метра.',
  'Пенсію за жовтень не нараховано; у Пенсійному фонді кажуть чекати, а жити нема за що.',
  'Заявниця повідомляє, що з початку опалювального сезону температура в квартирі не перевищує 14 градусів.',
  'Зверталася до управління соціального захисту населення двічі, письмово й усно, відповіді не отримала.',
  'Після обстрілу пошкоджено вікна та покрівлю будинку, акт обстеження комісія склала ще місяць тому.',
  'Заявник є внутрішньо переміщеною особою, довідку отримав у центрі надання адміністративних послуг.',
  'Виплату допомоги на проживання припинено без жодного повідомлення, причину в телефонному режимі не пояснюють.',
  'Автобус маршруту № 12 не виходить на лінію після 18:00, мешканці селища не можуть дістатися з роботи.',
  'Просить перевірити законність нарахування плати за вивезення побутових відходів за порожню квартиру.',
  'У лікарні вимагають придбати ліки за власний кошт, хоча вони входять до програми медичних гарантій.',
  'Дитині з інвалідністю відмовили в путівці на оздоровлення, пославшись на відсутність коштів у бюджеті.',
  'Водопровід на вулиці прорвало тиждень тому, вода тече по дорозі, аварійна служба не приїжджає.',
  'Просить роз’яснити порядок отримання компенсації за зруйноване житло за програмою єВідновлення.',
  'Керуюча компанія відмовляється надати кошторис робіт з ремонту даху, за які мешканці вже сплатили.',
  'У під’їзді не працює ліфт понад два місяці, на дев’ятому поверсі живуть літні люди та особа з інвалідністю.',
  'Заявник скаржиться на дії посадової особи сільської ради, яка відмовила в прийнятті заяви без пояснень.',
  'Просить сприяти у встановленні інвалідності: документи подано до експертної команди ще у вересні.',
  'Мешканці будинку просять встановити освітлення на прибудинковій території, ввечері там небезпечно.',
  'Заробітну плату на підприємстві не виплачують із липня, інспекція з питань праці перевірку не проводить.',
  'Прошу надати інформацію про стан розгляду мого попереднього звернення, зареєстрованого в жовтні.',
  'Звертається повторно, бо на попереднє звернення надійшла формальна відповідь без вирішення питання.',
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
/** A cheap, fixed scramble of i, so that lengths and choices do not move in lockstep. */
const mix = (i: number) => ((i * 2_654_435_761) >>> 0) % 1_000_003;

/**
 * `BENCH_WEIGHT=light`: the essence in 1–2 sentences and no attachments, like the short annotations
 * of the examples under schema/gov-line (xml2js then parses about as many per second as the issue's
 * reference messages); otherwise (default) full operator texts and an attachment in 1 of 20.
 */
const LIGHT = process.env.BENCH_WEIGHT === 'light';

/** 3 to 12 sentences: about 300 to 1,500 characters, most between 500 and 1,000 (light: 1–2). */
function essence(i: number): string {
  const m = mix(i);
  const count = LIGHT ? m % 2 : 3 + (m % 6) + ((m >> 3) % 5);
  const parts = Array.from({ length: count }, (_, k) => pick(SENTENCES, m + k * 7));
  parts.splice(1, 0, `Мешкає в житловому комплексі «${word(i)}», будинок ${1 + (i % 200)}.`);
  return parts.join(' ');
}

function person(i: number, k: number, territory: [string, string, string]): string {
  const [, city, district] = territory;
  const phone = `+38067${String(1_000_000 + i).padStart(7, '0')}`;
  const privilege = i % 9 === 0 ? ' privilege="7.5"' : '';
  const contacts =
    k > 0
      ? ''
      : `\n        <Econtact type="м">${phone}</Econtact>` +
        (i % 5 < 2 ? `\n        <Econtact type="п">citizen${i}@ukr.net</Econtact>` : '');
  return `
    <Author>
      <PrivatePerson>
        <Name secname="${pick(k ? SURNAMES_MORE : SURNAMES, i + k)}" firstname="${pick(NAMES, i * 3 + k)}" fathersname="${pick(PATRONYMICS, i * 5 + k)}"/>
        <Rank socialposition="8.1" sex="${(i + k) % 2 ? 1 : 2}"${privilege}/>
        <Address postcode="690${String(i % 100).padStart(2, '0')}" region="Запорізька обл."${district ? ` district="${district}"` : ''} settlement="${city}" street="${pick(STREETS, i)}" house="${1 + (i % 200)}" flat="${1 + ((i + k * 17) % 90)}"/>${contacts}
      </PrivatePerson>
    </Author>`;
}

/** A scanned page: base64 in lines of 76, as mail-like encoders write it. */
function docTransfer(i: number): string {
  const bytes = Buffer.alloc(3_000 + (mix(i) % 9_000));
  for (let k = 0; k < bytes.length; k++) bytes[k] = (k * 31 + i) & 255;
  const b64 = bytes.toString('base64').replace(/.{76}/g, '$&\n      ');
  return `
    <DocTransfer type="pdf" description="Акт обстеження пошкодженого житла" idnumber="1545-BENCH-${i}-1">
      ${b64}
    </DocTransfer>`;
}

export function corpusHeader(i: number): string {
  const territory = pick(PLACES, i * 7);
  const day = String(1 + (i % 27)).padStart(2, '0');
  const collective = i % 25 === 7;
  const authors = (collective ? [0, 1, 2] : [0]).map((k) => person(i, k, territory)).join('');
  const msgId = `6f1c2b0e-4a51-4d8e-9a43-${String(i).padStart(12, '0')}`;
  return `<Header standart="1207" version="1.5" charset="UTF-8" time="2026-11-${day}T09:16:02+02:00" msg_type="1"
        msg_id="${msgId}" msg_acknow="2"
        from_org_id="37471967" from_organization="Урядовий контактний центр" from_sys_id="UCC-1545"
        from_system="Єдина система опрацювання звернень" to_org_id="03345678"
        to_organization="Запорізький обласний контактний центр" to_sys_id="ZOKC" to_system="Шлюз звернень ЗОКЦ">
  <Document idnumber="1545-BENCH-${i}" type="2" purpose_type="3" urgent="${i % 50 === 3 ? 1 : 0}"
            annotation="${essence(i)}">
    <RegNumber regdate="2026-11-${day}">Т-${900000 + i}</RegNumber>
    <Confident flag="0"/>${!LIGHT && i % 20 === 11 ? docTransfer(i) : ''}${authors}
    <Writer>
      <Organization ogrn="37471967" fullname="Урядовий контактний центр" shortname="УКЦ"/>
    </Writer>
  </Document>
  <Expansion organization="37471967" exp_ver="1.0">
    <StaticExpansion/>
    <AppealCard topic="${pick(TOPICS, i * 11)}" territory="${territory[0]}" channel="1545" form="1.1.1" receipt_sign="2.1"
                subject="${collective ? '5.2' : '5.1'}" kind="3.2" registered="2026-11-${day}T09:15:00+02:00"/>
  </Expansion>
</Header>`;
}

export function corpusBatch(n: number, offset = 0): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch>'];
  for (let i = 0; i < n; i++) parts.push(corpusHeader(offset + i));
  parts.push('</AppealBatch>\n');
  return parts.join('\n');
}
