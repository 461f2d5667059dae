import type { MessageEntity } from 'telegraf/types';
import { badRequest, BotApiError } from './bot-api-error';

/**
 * Turns `text` + `parse_mode` into what Telegram stores and shows: plain text plus entities, or the
 * 400 "can't parse entities" the real API returns. Worth faking because a user name with `<` or an
 * unescaped `.` in MarkdownV2 is a classic production failure, and tests should assert on the text a
 * user actually sees. The rules follow the real server's parsers (tdlib); the wording of the rarer
 * error messages is close, not guaranteed. Automatic entities (urls, mentions) are not detected.
 */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

export const MAX_MESSAGE_LENGTH = 4096;

export function formatText(
  raw: string,
  parseMode: string | undefined,
  explicitEntities: MessageEntity[] | undefined,
): FormattedText {
  const mode = parseMode?.toLowerCase() ?? '';
  let parsed: FormattedText;
  if (mode === '') parsed = { text: raw, entities: explicitEntities ?? [] };
  else if (mode === 'html') parsed = parseHtml(raw);
  else if (mode === 'markdownv2') parsed = parseMarkdownV2(raw);
  else if (mode === 'markdown') parsed = parseMarkdown(raw);
  else throw badRequest('unsupported parse_mode');
  return trimWhitespace(parsed);
}

function entityError(detail: string): BotApiError {
  return badRequest(`can't parse entities: ${detail}`);
}

/** Error positions are reported in UTF-8 bytes of the original text, like the real API. */
function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

function isSpace(char: string | undefined): boolean {
  return (
    char === ' ' ||
    char === '\t' ||
    char === '\n' ||
    char === '\r' ||
    char === '\v' ||
    char === '\f'
  );
}

/** Telegram strips leading and trailing whitespace from message text; entities shift with it. */
function trimWhitespace({ text, entities }: FormattedText): FormattedText {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  if (start === 0 && end === text.length) return { text, entities };
  const shifted: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) shifted.push({ ...entity, offset: from - start, length: to - from });
  }
  return { text: text.slice(start, end), entities: shifted };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

// ---------------------------------------------------------------------------------------------- HTML

const HTML_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'span',
  'pre',
  'code',
  'blockquote',
]);

const NAMED_HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Decodes `&lt;`, `&#123;`, `&#x1F600;` at `index`; an undecodable `&` stays a literal `&`. */
function decodeHtmlEntity(text: string, index: number): { char: string; next: number } | undefined {
  const match = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/.exec(
    text.slice(index, index + 12),
  );
  if (!match) return undefined;
  const body = match[1];
  let char: string | undefined;
  if (body.startsWith('#x')) char = codePointChar(parseInt(body.slice(2), 16));
  else if (body.startsWith('#')) char = codePointChar(parseInt(body.slice(1), 10));
  else char = NAMED_HTML_ENTITIES[body];
  return char === undefined ? undefined : { char, next: index + match[0].length };
}

function codePointChar(codePoint: number): string | undefined {
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : undefined;
}

interface OpenHtmlTag {
  tag: string;
  argument: string;
  offset: number;
}

function parseHtml(text: string): FormattedText {
  let out = '';
  const entities: MessageEntity[] = [];
  const open: OpenHtmlTag[] = [];
  const length = text.length;
  let i = 0;
  const unclosedStartTag = (begin: number) =>
    entityError(`Unclosed start tag at byte offset ${byteOffset(text, begin)}`);

  while (i < length) {
    const char = text[i];
    if (char === '&') {
      const decoded = decodeHtmlEntity(text, i);
      if (decoded) {
        out += decoded.char;
        i = decoded.next;
        continue;
      }
    }
    if (char !== '<') {
      out += char;
      i++;
      continue;
    }

    const begin = i++;
    if (text[i] !== '/') {
      while (i < length && !isSpace(text[i]) && text[i] !== '>') i++;
      if (i >= length) throw unclosedStartTag(begin);
      const tag = text.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag)) {
        throw entityError(
          `Unsupported start tag "${tag}" at byte offset ${byteOffset(text, begin)}`,
        );
      }
      let argument = '';
      while (text[i] !== '>') {
        while (i < length && isSpace(text[i])) i++;
        if (i >= length) throw unclosedStartTag(begin);
        if (text[i] === '>') break;
        const nameBegin = i;
        while (i < length && !isSpace(text[i]) && text[i] !== '=' && text[i] !== '>') i++;
        const name = text.slice(nameBegin, i).toLowerCase();
        while (i < length && isSpace(text[i])) i++;
        if (i >= length) throw unclosedStartTag(begin);
        if (text[i] !== '=') {
          // A valueless attribute, e.g. <blockquote expandable>.
          continue;
        }
        i++;
        while (i < length && isSpace(text[i])) i++;
        if (i >= length) throw unclosedStartTag(begin);
        let value = '';
        if (text[i] !== '"' && text[i] !== "'") {
          const tokenBegin = i;
          while (i < length && /[A-Za-z0-9.-]/.test(text[i])) i++;
          value = text.slice(tokenBegin, i).toLowerCase();
          if (i < length && !isSpace(text[i]) && text[i] !== '>') {
            throw entityError(
              `Unexpected end of name token at byte offset ${byteOffset(text, tokenBegin)}`,
            );
          }
        } else {
          const quote = text[i++];
          while (i < length && text[i] !== quote) {
            const decoded = text[i] === '&' ? decodeHtmlEntity(text, i) : undefined;
            if (decoded) {
              value += decoded.char;
              i = decoded.next;
            } else {
              value += text[i++];
            }
          }
          if (text[i] === quote) i++;
        }
        if (i >= length) throw unclosedStartTag(begin);
        argument = tagArgument(tag, name, value) ?? argument;
      }
      i++; // past '>'
      if (tag === 'span' && argument !== 'spoiler') {
        throw entityError(
          `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(text, begin)}`,
        );
      }
      open.push({ tag, argument, offset: out.length });
      continue;
    }

    // An end tag; `</>` closes whatever is open, like the real parser.
    if (open.length === 0)
      throw entityError(`Unexpected end tag at byte offset ${byteOffset(text, begin)}`);
    i++;
    const nameBegin = i;
    while (i < length && !isSpace(text[i]) && text[i] !== '>') i++;
    const endName = text.slice(nameBegin, i).toLowerCase();
    while (i < length && isSpace(text[i])) i++;
    if (text[i] !== '>')
      throw entityError(`Unclosed end tag at byte offset ${byteOffset(text, begin)}`);
    i++;
    const top = open.pop()!;
    if (endName !== '' && endName !== top.tag) {
      throw entityError(
        `Unmatched end tag at byte offset ${byteOffset(text, begin)}, expected "</${top.tag}>", found "</${endName}>"`,
      );
    }
    const parent = open[open.length - 1];
    if (top.tag === 'code' && parent?.tag === 'pre' && top.argument !== '') {
      // <pre><code class="language-x"> is one pre entity with a language.
      parent.argument = top.argument;
      continue;
    }
    const entity = htmlEntity(top, out.length);
    if (entity) entities.push(entity);
  }
  if (open.length > 0) {
    throw entityError(`Can't find end tag corresponding to start tag ${open[open.length - 1].tag}`);
  }
  return { text: out, entities: sortEntities(entities) };
}

function tagArgument(tag: string, attribute: string, value: string): string | undefined {
  if (tag === 'a' && attribute === 'href') return value;
  if (tag === 'code' && attribute === 'class' && value.startsWith('language-'))
    return value.slice(9);
  if (tag === 'span' && attribute === 'class' && value.startsWith('tg-')) return value.slice(3);
  if (tag === 'tg-emoji' && attribute === 'emoji-id') return value;
  return undefined;
}

function htmlEntity(
  { tag, argument, offset }: OpenHtmlTag,
  end: number,
): MessageEntity | undefined {
  const length = end - offset;
  if (length <= 0) return undefined;
  switch (tag) {
    case 'b':
    case 'strong':
      return { type: 'bold', offset, length };
    case 'i':
    case 'em':
      return { type: 'italic', offset, length };
    case 'u':
    case 'ins':
      return { type: 'underline', offset, length };
    case 's':
    case 'strike':
    case 'del':
      return { type: 'strikethrough', offset, length };
    case 'tg-spoiler':
    case 'span':
      return { type: 'spoiler', offset, length };
    case 'code':
      return { type: 'code', offset, length };
    case 'pre':
      return argument
        ? { type: 'pre', offset, length, language: argument }
        : { type: 'pre', offset, length };
    case 'blockquote':
      return { type: 'blockquote', offset, length };
    case 'a':
      return argument ? { type: 'text_link', offset, length, url: argument } : undefined;
    case 'tg-emoji':
      return argument
        ? { type: 'custom_emoji', offset, length, custom_emoji_id: argument }
        : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------- MarkdownV2

const MARKDOWN_V2_RESERVED = '_*[]()~`>#+-=|{}.!';

type MarkdownEntityType =
  | 'Bold'
  | 'Italic'
  | 'Underline'
  | 'Strikethrough'
  | 'Spoiler'
  | 'Code'
  | 'Pre'
  | 'PreCode'
  | 'TextUrl'
  | 'CustomEmoji';

interface OpenMarkdownEntity {
  type: MarkdownEntityType;
  argument: string;
  offset: number;
  byteOffset: number;
}

function reservedError(char: string): BotApiError {
  return entityError(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
}

function isEscapable(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  return code > 0 && code <= 126;
}

function isEndOfEntity(entity: OpenMarkdownEntity, text: string, i: number): boolean {
  const char = text[i];
  switch (entity.type) {
    case 'Bold':
      return char === '*';
    case 'Italic':
      return char === '_' && text[i + 1] !== '_';
    case 'Underline':
      return char === '_' && text[i + 1] === '_';
    case 'Strikethrough':
      return char === '~';
    case 'Spoiler':
      return char === '|' && text[i + 1] === '|';
    case 'Code':
      return char === '`';
    case 'Pre':
    case 'PreCode':
      return char === '`' && text[i + 1] === '`' && text[i + 2] === '`';
    case 'TextUrl':
    case 'CustomEmoji':
      return char === ']';
  }
}

/** Skips one line break right after the opening ``` (and the language), as the real parser does. */
function skipPreNewline(text: string, i: number): number {
  if (text[i] !== '\n' && text[i] !== '\r') return i;
  const pair = (text[i + 1] === '\n' || text[i + 1] === '\r') && text[i] !== text[i + 1];
  return i + (pair ? 2 : 1);
}

function parseMarkdownV2(text: string): FormattedText {
  let out = '';
  const entities: MessageEntity[] = [];
  const open: OpenMarkdownEntity[] = [];
  let quoteStart: number | undefined;
  const length = text.length;

  for (let i = 0; i < length; i++) {
    const char = text[i];
    if (char === '\\' && isEscapable(text[i + 1])) {
      out += text[++i];
      continue;
    }
    const top = open[open.length - 1];
    const inCode =
      top !== undefined && (top.type === 'Code' || top.type === 'Pre' || top.type === 'PreCode');
    if (char === '\n' && quoteStart !== undefined && text[i + 1] !== '>') {
      // A block quote lasts while consecutive lines start with '>'.
      if (out.length > quoteStart)
        entities.push({ type: 'blockquote', offset: quoteStart, length: out.length - quoteStart });
      quoteStart = undefined;
    }
    if (!(inCode ? '`' : MARKDOWN_V2_RESERVED).includes(char)) {
      out += char;
      continue;
    }
    if (top !== undefined && isEndOfEntity(top, text, i)) {
      open.pop();
      let argument = top.argument;
      if (top.type === 'Underline' || top.type === 'Spoiler') i += 1;
      if (top.type === 'Pre' || top.type === 'PreCode') i += 2;
      if (top.type === 'TextUrl' || top.type === 'CustomEmoji') {
        if (text[i + 1] !== '(') {
          argument = out.slice(top.offset);
        } else {
          i += 2;
          const urlBegin = i;
          argument = '';
          while (i < length && text[i] !== ')') {
            if (text[i] === '\\' && isEscapable(text[i + 1])) {
              argument += text[i + 1];
              i += 2;
            } else {
              argument += text[i++];
            }
          }
          if (text[i] !== ')')
            throw entityError(
              `Can't find end of a URL at byte offset ${byteOffset(text, urlBegin)}`,
            );
        }
      }
      const entity = markdownEntity(top, argument, out.length);
      if (entity) entities.push(entity);
      continue;
    }

    const entityByteOffset = byteOffset(text, i);
    let type: MarkdownEntityType;
    let argument = '';
    switch (char) {
      case '_':
        if (text[i + 1] === '_') {
          i++;
          type = 'Underline';
        } else {
          type = 'Italic';
        }
        break;
      case '*':
        type = 'Bold';
        break;
      case '~':
        type = 'Strikethrough';
        break;
      case '|':
        if (text[i + 1] !== '|') throw reservedError(char);
        i++;
        type = 'Spoiler';
        break;
      case '[':
        type = 'TextUrl';
        break;
      case '!':
        if (text[i + 1] !== '[') throw reservedError(char);
        i++;
        type = 'CustomEmoji';
        break;
      case '`':
        if (text[i + 1] === '`' && text[i + 2] === '`') {
          i += 3;
          type = 'Pre';
          let languageEnd = i;
          while (languageEnd < length && !isSpace(text[languageEnd]) && text[languageEnd] !== '`')
            languageEnd++;
          if (i !== languageEnd && languageEnd < length && text[languageEnd] !== '`') {
            type = 'PreCode';
            argument = text.slice(i, languageEnd);
            i = languageEnd;
          }
          i = skipPreNewline(text, i) - 1;
        } else {
          type = 'Code';
        }
        break;
      case '>':
        if (i === 0 || text[i - 1] === '\n') {
          quoteStart ??= out.length;
          continue;
        }
        throw reservedError(char);
      default:
        throw reservedError(char);
    }
    open.push({ type, argument, offset: out.length, byteOffset: entityByteOffset });
  }
  if (open.length > 0) {
    const last = open[open.length - 1];
    throw entityError(`Can't find end of ${last.type} entity at byte offset ${last.byteOffset}`);
  }
  if (quoteStart !== undefined && out.length > quoteStart) {
    entities.push({ type: 'blockquote', offset: quoteStart, length: out.length - quoteStart });
  }
  return { text: out, entities: sortEntities(entities) };
}

function markdownEntity(
  { type, offset }: OpenMarkdownEntity,
  argument: string,
  end: number,
): MessageEntity | undefined {
  const length = end - offset;
  if (length <= 0) return undefined;
  switch (type) {
    case 'Bold':
      return { type: 'bold', offset, length };
    case 'Italic':
      return { type: 'italic', offset, length };
    case 'Underline':
      return { type: 'underline', offset, length };
    case 'Strikethrough':
      return { type: 'strikethrough', offset, length };
    case 'Spoiler':
      return { type: 'spoiler', offset, length };
    case 'Code':
      return { type: 'code', offset, length };
    case 'Pre':
      return { type: 'pre', offset, length };
    case 'PreCode':
      return { type: 'pre', offset, length, language: argument };
    case 'TextUrl':
      return argument ? { type: 'text_link', offset, length, url: argument } : undefined;
    case 'CustomEmoji': {
      const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(argument)?.[1];
      if (!id) throw entityError('Custom emoji entity must contain a tg://emoji URL');
      return { type: 'custom_emoji', offset, length, custom_emoji_id: id };
    }
  }
}

// ------------------------------------------------------------------------------- Markdown (legacy)

/** The legacy mode: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting, few escapes. */
function parseMarkdown(text: string): FormattedText {
  let out = '';
  const entities: MessageEntity[] = [];
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const char = text[i];
    if (char === '\\' && '_*`['.includes(text[i + 1] ?? ' ')) {
      out += text[++i];
      continue;
    }
    if (!'_*`['.includes(char)) {
      out += char;
      continue;
    }
    const begin = i;
    const endChar = char === '[' ? ']' : char;
    let isPre = false;
    let language = '';
    i++;
    if (char === '`' && text[i] === '`' && text[i + 1] === '`') {
      i += 2;
      isPre = true;
      let languageEnd = i;
      while (languageEnd < length && !isSpace(text[languageEnd]) && text[languageEnd] !== '`')
        languageEnd++;
      if (i !== languageEnd && languageEnd < length && text[languageEnd] !== '`') {
        language = text.slice(i, languageEnd);
        i = languageEnd;
      }
      i = skipPreNewline(text, i);
    }
    const offset = out.length;
    while (
      i < length &&
      (text[i] !== endChar || (isPre && !(text[i + 1] === '`' && text[i + 2] === '`')))
    ) {
      out += text[i++];
    }
    if (i >= length) {
      throw entityError(
        `Can't find end of the entity starting at byte offset ${byteOffset(text, begin)}`,
      );
    }
    const entityLength = out.length - offset;
    let url = '';
    if (char === '[') {
      if (text[i + 1] !== '(') {
        url = text.slice(begin + 1, i);
      } else {
        i += 2;
        while (i < length && text[i] !== ')') url += text[i++];
      }
    }
    if (entityLength > 0) {
      if (char === '_') entities.push({ type: 'italic', offset, length: entityLength });
      if (char === '*') entities.push({ type: 'bold', offset, length: entityLength });
      if (char === '[' && url)
        entities.push({ type: 'text_link', offset, length: entityLength, url });
      if (char === '`' && !isPre) entities.push({ type: 'code', offset, length: entityLength });
      if (isPre) {
        entities.push(
          language
            ? { type: 'pre', offset, length: entityLength, language }
            : { type: 'pre', offset, length: entityLength },
        );
      }
    }
    if (isPre) i += 2;
  }
  return { text: out, entities: sortEntities(entities) };
}
