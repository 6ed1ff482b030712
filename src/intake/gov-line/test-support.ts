/** Builders of 1207 messages for the gov-line tests: a valid appeal by default, any part replaceable. */

type Attrs = Record<string, string | null>;

const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** ` a="1" b="2"`; a null value drops the attribute. */
export function attrs(base: Attrs, overrides: Attrs = {}): string {
  return Object.entries({ ...base, ...overrides })
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
}

export const HEADER_ATTRS: Attrs = {
  standart: '1207',
  version: '1.5',
  charset: 'UTF-8',
  time: '2026-11-20T09:16:02+02:00',
  msg_type: '1',
  msg_id: 'msg-1',
  from_org_id: '00037471',
  from_organization: 'Урядовий контактний центр',
  from_sys_id: 'UCC',
  from_system: 'ЄСОЗ',
  to_org_id: '03345678',
  to_organization: 'Запорізький обласний контактний центр',
  to_sys_id: 'ZOKC',
  to_system: 'Шлюз',
};

export const DOCUMENT_ATTRS: Attrs = {
  idnumber: 'DOC-1',
  type: '2',
  purpose_type: '3',
  urgent: '0',
  annotation: 'Прошу відновити виплату житлової субсидії.',
};

export const CARD_ATTRS: Attrs = {
  topic: '006.01',
  territory: 'UA23060070010069526',
  channel: '1545',
  form: '1.1.1',
  receipt_sign: '2.1',
  subject: '5.1',
  kind: '3.2',
  registered: '2026-11-20T09:15:00+02:00',
};

export interface PersonParts {
  name?: Attrs;
  ranks?: Attrs[];
  address?: Attrs | null;
  contacts?: [type: string | null, value: string][];
}

export function person(p: PersonParts = {}): string {
  const name = `<Name${attrs({ secname: 'Коваленко', firstname: 'Олена', fathersname: 'Петрівна' }, p.name)}/>`;
  const ranks = (p.ranks ?? [{ socialposition: '8.1', sex: '2' }]).map((r) => `<Rank${attrs(r)}/>`).join('');
  const address =
    p.address === null
      ? ''
      : `<Address${attrs({ postcode: '69001', region: 'Запорізька обл.', settlement: 'м. Запоріжжя', street: 'вул. Соборна', house: '12', flat: '5' }, p.address)}/>`;
  const contacts = (p.contacts ?? [['м', '+380671234567']])
    .map(([type, value]) => `<Econtact${type === null ? '' : attrs({ type })}>${escapeXml(value)}</Econtact>`)
    .join('');
  return `<Author><PrivatePerson>${name}${ranks}${address}${contacts}</PrivatePerson></Author>`;
}

export interface MessageParts {
  header?: Attrs;
  document?: Attrs;
  /** The RegNumber element; null leaves it out. */
  regNumber?: string | null;
  confident?: string;
  transfers?: string;
  /** The Author elements. */
  authors?: string;
  /** AppealCard attributes; null leaves the card out. */
  card?: Attrs | null;
  /** Extra elements after the AppealCard, e.g. a DirectLine. */
  expansionExtra?: string;
  /** The whole Expansion element instead of the default; '' leaves it out. */
  expansion?: string;
}

export function message(m: MessageParts = {}): string {
  const card = m.card === null ? '' : `<AppealCard${attrs(CARD_ATTRS, m.card)}/>`;
  const expansion =
    m.expansion ??
    `<Expansion organization="37471967" exp_ver="1.0"><StaticExpansion/>${card}${m.expansionExtra ?? ''}</Expansion>`;
  const regNumber =
    m.regNumber === null ? '' : (m.regNumber ?? '<RegNumber regdate="2026-11-20">Т-412345</RegNumber>');
  return `<Header${attrs(HEADER_ATTRS, m.header)}>
  <Document${attrs(DOCUMENT_ATTRS, m.document)}>
    ${regNumber}${m.confident ?? '<Confident flag="0"/>'}${m.transfers ?? ''}
    ${m.authors ?? person()}
    <Writer><Organization ogrn="37471967" fullname="Урядовий контактний центр"/></Writer>
  </Document>
  ${expansion}
</Header>`;
}

export function batch(...headers: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch>\n${headers.join('\n')}\n</AppealBatch>`;
}
