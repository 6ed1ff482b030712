/**
 * Where a JSON document first breaks. V8's `JSON.parse` names a position for some errors only and
 * quotes the document (personal data) for the rest, so the reader finds the spot itself: an iterative
 * scan of the RFC 8259 grammar, run only after `JSON.parse` has failed.
 */

const LITERALS = ['true', 'false', 'null'];
const isDigit = (c: string) => c >= '0' && c <= '9';
const HEX = /^[0-9a-fA-F]$/;

type Scan = { end: number } | { error: number };

/** The string that starts at `start` (a quote); errors point at the offending character, as V8 does. */
function scanString(text: string, start: number): Scan {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') return { end: i + 1 };
    if (c < ' ') return { error: i };
    if (c !== '\\') {
      i++;
      continue;
    }
    const next = text.charAt(i + 1);
    if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
    else if (next !== 'u') return { error: i + 1 };
    else {
      for (let k = i + 2; k < i + 6; k++) if (!HEX.test(text.charAt(k))) return { error: k };
      i += 6;
    }
  }
  return { error: text.length };
}

/** The number that starts at `start` (a minus or a digit). */
function scanNumber(text: string, start: number): Scan {
  let i = start;
  const digits = () => {
    if (!isDigit(text.charAt(i))) return false;
    while (isDigit(text.charAt(i))) i++;
    return true;
  };
  if (text.charAt(i) === '-') i++;
  if (text.charAt(i) === '0') i++;
  else if (!digits()) return { error: i };
  if (text.charAt(i) === '.') {
    i++;
    if (!digits()) return { error: i };
  }
  if (text.charAt(i) === 'e' || text.charAt(i) === 'E') {
    i++;
    if (text.charAt(i) === '+' || text.charAt(i) === '-') i++;
    if (!digits()) return { error: i };
  }
  return { end: i };
}

/** true, false or null at `start`: the error is the first character that departs from the word. */
function scanLiteral(text: string, start: number): Scan {
  const word = LITERALS.find((l) => l.startsWith(text.charAt(start)));
  if (!word) return { error: start };
  for (let k = 0; k < word.length; k++)
    if (text.charAt(start + k) !== word.charAt(k)) return { error: start + k };
  return { end: start + word.length };
}

function skipSpace(text: string, start: number): number {
  let i = start;
  while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  return i;
}

/** Offset of the first syntax error in `text`; `text.length` when the document just ends too early. */
export function jsonErrorOffset(text: string): number {
  const stack: string[] = [];
  let state: 'value' | 'key' | 'after' = 'value';
  let i = 0;
  for (;;) {
    i = skipSpace(text, i);
    if (i >= text.length) return text.length;
    const c = text.charAt(i);
    if (state === 'key') {
      if (c !== '"') return i;
      const s = scanString(text, i);
      if ('error' in s) return s.error;
      i = s.end;
      i = skipSpace(text, i);
      if (text.charAt(i) !== ':') return i;
      i++;
      state = 'value';
    } else if (state === 'after') {
      const top = stack.at(-1);
      if (top === undefined) return i;
      if (c === ',') state = top === '{' ? 'key' : 'value';
      else if ((top === '{' && c === '}') || (top === '[' && c === ']')) stack.pop();
      else return i;
      i++;
    } else if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      i = skipSpace(text, i);
      const empty = text.charAt(i) === (c === '{' ? '}' : ']');
      if (empty) {
        stack.pop();
        i++;
      }
      state = empty ? 'after' : c === '{' ? 'key' : 'value';
    } else {
      const scan =
        c === '"'
          ? scanString(text, i)
          : c === '-' || isDigit(c)
            ? scanNumber(text, i)
            : scanLiteral(text, i);
      if ('error' in scan) return scan.error;
      i = scan.end;
      state = 'after';
    }
  }
}
