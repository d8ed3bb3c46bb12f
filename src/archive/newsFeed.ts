// Napo news arrives as an RSS 2.0 or Atom feed. This reads either into plain
// news items (title, link, UTC time, a short text summary). htmlparser2 in XML
// mode is forgiving of sloppy feeds and never expands DTD entities.
import { Parser } from 'htmlparser2';
import { MAX_DEPTH } from './blogger.js';
import { htmlToText } from './html.js';
import { ArchiveFormatError } from './model.js';
import { oneLine, shorten, stableId, SUMMARY_CHARS } from './text.js';

export interface NewsItem {
  /** The feed's own guid/id, else the link, else a hash of source and title. */
  id: string;
  /** Where it came from (the feed's URL). */
  source: string;
  title: string;
  link: string | null;
  /** ISO 8601 in UTC, or null when the feed gives no readable date. */
  published: string | null;
  /** Plain text, one line, at most about SUMMARY_CHARS characters. */
  summary: string;
}

export interface ParsedNewsFeed {
  items: NewsItem[];
  warnings: string[];
}

/** Root elements of the feeds we read: RSS 2.0 (`rss`), RSS 1.0 (`rdf:RDF`) and Atom (`feed`). */
const FEED_ROOTS = new Set(['rss', 'RDF', 'feed']);

type Field = 'title' | 'link' | 'id' | 'date' | 'summary' | 'content';

/** Child elements of an item/entry we keep, by local name; RSS and Atom names map onto the same fields. */
const FIELDS: Record<string, Field> = {
  title: 'title',
  link: 'link',
  guid: 'id',
  id: 'id',
  pubDate: 'date',
  published: 'date',
  date: 'date', // dc:date
  updated: 'date',
  description: 'summary',
  summary: 'summary',
  content: 'content',
  encoded: 'content', // content:encoded
};

/** When an item has several dates, the first of these wins: publication before last edit. */
const DATE_RANK = ['pubDate', 'published', 'date', 'updated'];

interface Draft {
  title: string | null;
  linkText: string | null;
  alternate: string | null;
  firstHref: string | null;
  id: string | null;
  dates: Map<string, string>;
  summary: string | null;
  content: string | null;
}

/**
 * Read an RSS 2.0 or Atom feed. Items without a title are skipped with a
 * warning; a document that is not a feed throws ArchiveFormatError.
 */
export function parseNewsFeed(xml: string, source: string): ParsedNewsFeed {
  const items: NewsItem[] = [];
  const warnings: string[] = [];
  const path: string[] = [];
  // Set inside the parser's callbacks, which TypeScript's flow analysis cannot see.
  let root = null as string | null;
  let draft: Draft | null = null;
  let itemDepth = -1;
  let position = 0;
  /** The field being read: its markup so far, whether its text is HTML, and how deep it started. */
  let field: { name: Field; local: string; depth: number; html: boolean; markup: string } | null = null;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const local = localName(name);
        path.push(local);
        const depth = path.length - 1;
        // htmlparser2's work per element grows with the depth: a feed nested this deep is hostile, not news.
        if (depth >= MAX_DEPTH)
          throw new ArchiveFormatError(source, `elements nested more than ${MAX_DEPTH} deep: not a feed`);
        if (depth === 0) root = local;
        if (root === null || !FEED_ROOTS.has(root)) return;
        if (field) {
          // Atom xhtml content (or raw markup in a sloppy RSS description): keep the element as HTML.
          field.markup += `<${local}>`;
          return;
        }
        if (!draft) {
          if (local === 'item' || local === 'entry') {
            draft = emptyDraft();
            itemDepth = depth;
            position++;
          }
          return;
        }
        if (depth !== itemDepth + 1) return;
        const kept = FIELDS[local];
        if (!kept) return;
        if (kept === 'link' && attribs['href'] !== undefined) {
          // Atom: <link href rel/>. No rel means alternate.
          const rel = attribs['rel'] ?? 'alternate';
          if (rel === 'alternate') draft.alternate ??= attribs['href'];
          draft.firstHref ??= attribs['href'];
          return;
        }
        const type = (attribs['type'] ?? '').toLowerCase();
        // RSS descriptions are HTML by custom; Atom says so with type="html".
        const html = local === 'description' || local === 'encoded' || type === 'html' || type === 'text/html';
        field = { name: kept, local, depth, html, markup: '' };
      },
      ontext(text) {
        if (!field) return;
        // Plain text keeps its `&` so double-escaped titles (`It&amp;#39;s`) still decode; `<` is never a tag.
        field.markup += field.html ? text : text.replace(/</g, '&lt;');
      },
      onclosetag(_name, isImplied) {
        const depth = path.length - 1;
        const local = path.pop()!;
        if (field && depth > field.depth) {
          field.markup += `</${local}>`;
          return;
        }
        if (field && depth === field.depth) {
          if (draft) keep(draft, field.name, field.local, field.markup);
          field = null;
          return;
        }
        if (draft && depth === itemDepth) {
          const done = draft;
          draft = null;
          if (isImplied) warnings.push(`${source}: item ${position} is cut off (the feed ends inside it): skipped`);
          else finish(done);
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );

  function finish(d: Draft): void {
    const title = oneLine(htmlToText(d.title ?? ''));
    const link = oneLine(d.linkText ?? '') || d.alternate || d.firstHref || null;
    if (!title) {
      warnings.push(`${source}: item ${position}${link ? ` (${link})` : ''} has no title: skipped`);
      return;
    }
    const rawDate = DATE_RANK.map((k) => d.dates.get(k)).find((v) => v !== undefined) ?? null;
    const published = rawDate === null ? null : utcIso(rawDate);
    if (rawDate !== null && published === null) {
      warnings.push(
        `${source}: item ${position} ("${title.slice(0, 60)}") has an unreadable date "${oneLine(rawDate).slice(0, 40)}": kept without a date`,
      );
    }
    items.push({
      id: oneLine(d.id ?? '') || link || stableId('news-', source, title),
      source,
      title,
      link,
      published,
      summary: shorten(oneLine(htmlToText(d.summary ?? d.content ?? '')), SUMMARY_CHARS),
    });
  }

  parser.write(xml);
  parser.end();
  if (root === null) throw new ArchiveFormatError(source, 'not an RSS or Atom feed: no XML elements in it');
  if (!FEED_ROOTS.has(root)) throw new ArchiveFormatError(source, `not an RSS or Atom feed: it starts with <${root}>`);
  return { items, warnings };
}

function keep(d: Draft, name: Field, local: string, markup: string): void {
  switch (name) {
    case 'title':
      d.title ??= markup;
      break;
    case 'link':
      d.linkText ??= markup;
      break;
    case 'id':
      d.id ??= markup;
      break;
    case 'date':
      if (!d.dates.has(local)) d.dates.set(local, markup);
      break;
    case 'summary':
      d.summary ??= markup;
      break;
    case 'content':
      d.content ??= markup;
      break;
  }
}

function emptyDraft(): Draft {
  return {
    title: null,
    linkText: null,
    alternate: null,
    firstHref: null,
    id: null,
    dates: new Map(),
    summary: null,
    content: null,
  };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** RFC 822 (RSS) or RFC 3339 (Atom) to ISO in UTC; a time without a zone is read as UTC, never as this machine's zone. */
function utcIso(value: string): string | null {
  const text = value.trim();
  const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const millis = Date.parse(zoneless ? `${text}Z` : text);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : null;
}
