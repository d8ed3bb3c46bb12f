// Blogger stores posts and comments as HTML. Search and quotes want readable
// text: paragraphs kept as blank lines, line breaks as newlines, list items on
// lines of their own, scripts and styles dropped, entities decoded. What comes
// out is inert: no markup, no control or bidi-override characters, and text
// that only spells a script tag or a `javascript:` address is defused.
import { Parser, type Handler } from 'htmlparser2';
import { inert } from './entities.js';
import { tidyText } from './text.js';

export { decodeEntities } from './entities.js';

/** Elements that start and end a paragraph: a blank line on each side. */
const PARAGRAPH = new Set([
  'p',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'table',
  'pre',
  'hr',
  'figure',
  'address',
  'center',
  'section',
  'article',
  'header',
  'footer',
  'aside',
]);
/** Elements that sit on a line of their own. */
const LINE = new Set([
  'div',
  'li',
  'tr',
  'dt',
  'dd',
  'figcaption',
  'caption',
  'tbody',
  'thead',
  'tfoot',
  'nav',
  'main',
]);
/** Elements whose content is never text a reader sees. */
const HIDDEN = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'iframe',
  'object',
  'svg',
  'math',
  'select',
  'button',
]);
const CELL = new Set(['td', 'th']);
/** HTML white space, plus the non-breaking kinds, which read as plain spaces in an excerpt. */
const SPACES = /[ \t\n\r\f\u00a0\u2007\u202f]+/g;
/**
 * Elements open at once, at most, before the parser is started afresh on the
 * rest. Real posts nest a few dozen deep; htmlparser2's work per element
 * grows with the depth, so 100,000 nested tags would take minutes.
 */
const MAX_DEPTH = 256;

/** Readable text of an HTML fragment, paragraphs separated by blank lines. */
export function htmlToText(html: string): string {
  const out: string[] = [];
  /** Newlines at the end of `out` (0 while a line is open), so breaks never pile up beyond a blank line. */
  let trailingNewlines = 2;
  let hidden = 0;
  let pre = 0;
  const lists: { ordered: boolean; next: number }[] = [];

  const newlines = (n: number) => {
    if (out.length === 0) return;
    while (trailingNewlines < n) {
      out.push('\n');
      trailingNewlines++;
    }
  };
  const write = (text: string) => {
    if (hidden > 0 || text === '') return;
    if (pre > 0) {
      out.push(text.replace(/\u00a0/g, ' '));
      trailingNewlines = /\n+$/.exec(text)?.[0].length ?? 0;
      return;
    }
    let collapsed = text.replace(SPACES, ' ');
    if (trailingNewlines > 0 || /[ ]$/.test(out.at(-1) ?? '')) collapsed = collapsed.replace(/^ /, '');
    if (collapsed === '') return;
    out.push(collapsed);
    trailingNewlines = 0;
  };

  /** Elements open in the current parser, and where in `rest` it was stopped for being too deep. */
  let depth = 0;
  let stopAt = -1;
  let parser: Parser | null = null;

  const handler: Partial<Handler> = {
    onopentag(name) {
      depth++;
      if (depth > MAX_DEPTH && stopAt === -1) {
        stopAt = parser!.endIndex + 1;
        parser!.pause();
      }
      if (HIDDEN.has(name)) hidden++;
      if (hidden > 0) return;
      if (name === 'br') {
        out.push('\n');
        trailingNewlines++;
      } else if (PARAGRAPH.has(name)) {
        newlines(2);
        if (name === 'pre') pre++;
        if (name === 'ul' || name === 'ol') lists.push({ ordered: name === 'ol', next: 1 });
      } else if (LINE.has(name)) {
        newlines(1);
        if (name === 'li') {
          const list = lists.at(-1);
          write(list?.ordered ? `${list.next++}. ` : '- ');
        }
      } else if (CELL.has(name)) {
        write(' ');
      }
    },
    onclosetag(name) {
      depth--;
      if (HIDDEN.has(name)) {
        hidden = Math.max(0, hidden - 1);
        return;
      }
      if (hidden > 0) return;
      if (PARAGRAPH.has(name)) {
        if (name === 'pre') pre = Math.max(0, pre - 1);
        if (name === 'ul' || name === 'ol') lists.pop();
        newlines(2);
      } else if (LINE.has(name)) {
        newlines(1);
      }
    },
    ontext: write,
  };

  let rest = html;
  for (;;) {
    depth = 0;
    stopAt = -1;
    parser = new Parser(handler, { decodeEntities: true });
    parser.write(rest);
    if (stopAt === -1) break;
    // Too deep: the elements still open are left behind (a hidden one stays hidden), the rest read afresh.
    rest = rest.slice(stopAt);
    pre = 0;
    lists.length = 0;
  }
  parser.end();
  return inert(tidyText(out.join('')));
}
