/**
 * The shape `parseXmlDocument` produces and the few accessors the readers use on it. Every element is
 * a null-prototype object: attributes under `$` (a null-prototype object of strings), text under `_`
 * (absent when the element holds only whitespace), and each child element name mapped to an ARRAY of
 * elements in document order (xml2js `explicitArray: true`), even when there is one.
 */
export interface XmlElement {
  readonly $?: Readonly<Record<string, string>>;
  readonly _?: string;
  readonly [child: string]: readonly XmlElement[] | Readonly<Record<string, string>> | string | undefined;
}

const NONE: readonly XmlElement[] = Object.freeze([]);

/** Names xml2js would write onto plain objects or confuse with its own keys; prefixed with `_x_`. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
  '_',
  '$',
  'cdata',
]);

/** An element or attribute name as it appears in the tree: `__proto__` → `_x___proto__`. */
export function safeName(name: string): string {
  return RESERVED_NAMES.has(name) ? `_x_${name}` : name;
}

/** Child elements called `name`, in document order. */
export function elements(el: XmlElement, name: string): readonly XmlElement[] {
  const value = el[name];
  return Array.isArray(value) ? (value as readonly XmlElement[]) : NONE;
}

export function firstElement(el: XmlElement, name: string): XmlElement | undefined {
  return elements(el, name)[0];
}

export function attribute(el: XmlElement, name: string): string | undefined {
  return el.$?.[name];
}

export function textOf(el: XmlElement): string {
  return el._ ?? '';
}

/** Names of the child elements, without the attribute and text keys. */
export function childNames(el: XmlElement): string[] {
  return Object.keys(el).filter((k) => k !== '$' && k !== '_');
}
