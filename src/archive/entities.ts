// HTML entities in text that holds no markup, decoded by `entities/decode` (the decoder htmlparser2 itself uses, without
// the parser: titles, petition text and feed fields need no tree, and the store reads petition rows back through
// this at start), and text that only spells a script tag or a script address made inert.
import { decodeHTML } from 'entities/decode';
import { withoutUnsafeCharacters } from './text.js';

/**
 * Text that spells markup or a script address (a commenter's escaped
 * `&lt;script&gt;`, or `javascript:` in a sentence) made harmless to paste
 * anywhere: `<script` becomes `‹script`, `javascript:` becomes `javascript :`.
 * Readers still see what was written.
 */
export function inert(text: string): string {
  return text
    .replace(/<(\s*\/?\s*)(script|style|iframe|object|embed)/gi, '\u2039$1$2')
    .replace(/((?:java|vb)script)\s*:/gi, '$1 :');
}

/**
 * Decode HTML entities in text that holds no markup (Blogger double-escapes
 * titles: `It&amp;#39;s` arrives as `It&#39;s` after the XML layer), as an HTML
 * parser decodes text (entities without their semicolon too, where HTML allows
 * them). A `<` in the text stays a `<`: nothing is read as a tag.
 */
export function decodeEntities(text: string): string {
  const decoded = text.includes('&') ? decodeHTML(text) : text;
  return inert(withoutUnsafeCharacters(decoded));
}
