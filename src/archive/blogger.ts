// Streaming parser for Blogger's own exports: the classic "Back up content"
// Atom file (entries told apart by `kind#…` categories) and the 2018 Takeout
// `feed.atom` (`blogger:type`, `blogger:parent`, …). Fed in chunks, it hands
// each post and comment over as soon as its entry closes, so a 150 MB export
// is never one string or one DOM. htmlparser2 in XML mode reads broken XML
// as far as it can and never expands DTD entities (no XXE, no billion laughs);
// hostile files are bounded here: a field's text is capped, and nesting past
// MAX_DEPTH, or one comment, CDATA section or tag running on past
// MAX_UNBROKEN_CHARS (htmlparser2 holds those whole), stops the read.
import { Parser } from 'htmlparser2';
import { decodeEntities, htmlToText } from './html.js';
import type { Comment, ParseWarning, Post } from './model.js';
import { oneLine } from './text.js';

export interface BloggerExportHandlers {
  /** Names the file in warnings. */
  source: string;
  /**
   * A published post, with the 1-based line where its entry starts;
   * `summaryOnly` when a summary feed gave only the start of its text; `html`
   * the entry's content as the feed gave it (its links, which the text drops).
   */
  onPost(post: Post, line: number, entry: { summaryOnly: boolean; html: string }): void;
  /** A comment on a post that is not a page or a draft (its post may not be in this file). */
  onComment(comment: Comment, line: number): void;
  onWarning(warning: ParseWarning): void;
  /**
   * Something that leaves part of the file unread: an entry cut off, the file
   * ending before `</feed>`, nesting too deep to read on. Reported apart from
   * warnings so the reader is told the ingest is incomplete; without this
   * handler these go to `onWarning`.
   */
  onError?(problem: ParseWarning): void;
  /** The blog's address: Takeout exports give only a file name per post. */
  blogUrl?: string | null;
  /** Zone for Takeout times, which are UTC (classic exports carry the blog's own offset). */
  timeZone?: string;
}

export interface BloggerExportSummary {
  /** `feed`: a live posts or comments feed (entries carry no kind; a comment is an entry that answers a post). */
  format: 'classic' | 'takeout' | 'feed' | null;
  entries: number;
  posts: number;
  comments: number;
  /** Comments that answer another comment (`parentId` set); included in `comments`. */
  replies: number;
  /** Comments kept as placeholders ("This comment has been removed…"); included in `comments`. */
  deletedComments: number;
  /** Draft (and, in Takeout, deleted) posts: not ingested. */
  draftsSkipped: number;
  /** Entries that are not archive content: settings (which can hold the owner's e-mail), templates, pages. */
  ignored: { settings: number; templates: number; pages: number; other: number };
  /** Comments on pages or drafts: not ingested, like what they answer. */
  commentsOnIgnored: number;
  /** Entries that could not be read (no id, no kind, cut off): each has a warning. */
  unreadable: number;
  /** Warnings and errors reported. */
  warnings: number;
  /** Line where reading stopped short (an entry cut off, nesting too deep, no `</feed>`); null when the file was read to its end. */
  stoppedAt: number | null;
  /** Posts whose feed gives only a summary (`<summary>`, no `<content>`): stored with that text. */
  summaryOnly: number;
  /** Feeds: the next page (`<link rel="next">`), the feed's own count of entries, and the newest `<updated>` of an entry. */
  next: string | null;
  totalResults: number | null;
  newestUpdate: string | null;
}

export interface BloggerExportParser {
  write(chunk: string): void;
  end(): BloggerExportSummary;
}

const KIND_SCHEME = 'http://schemas.google.com/g/2005#kind';
const DELETED_COMMENT = /^This (?:comment|post) has been removed\b[^\n]{0,120}$/;
/**
 * Elements open at once, at most. Blogger's exports and feeds nest a few
 * levels (xhtml content a few dozen); htmlparser2 spends time per element in
 * proportion to the depth, so 100,000 levels would take minutes.
 */
export const MAX_DEPTH = 256;
/** Characters kept of one post's or comment's content (Blogger's own limit on a post is far less); the rest is dropped with a warning. */
export const MAX_CONTENT_CHARS = 2 * 1024 * 1024;
/** Characters kept of any other field (a title, an id, a date, a name). */
const MAX_FIELD_CHARS = 16 * 1024;
/**
 * Characters the parser may read without reporting anything. Text is handed
 * over chunk by chunk, but a comment, a CDATA section or a tag is held whole
 * until it ends; an export never has one of even a megabyte.
 */
export const MAX_UNBROKEN_CHARS = 8 * 1024 * 1024;
/** Prefixes every XML document may use without declaring them. */
const BUILT_IN_PREFIXES = new Set(['xml', 'xmlns']);

/** What one `<entry>` held, gathered while it streams past. */
interface Entry {
  line: number;
  id: string;
  published: string;
  updated: string;
  title: string;
  titleType: string;
  content: string;
  contentType: string;
  /** Summary feeds: `<summary>` stands in for `<content>`. */
  summary: string;
  summaryType: string;
  kind: string | null;
  labels: string[];
  alternate: string | null;
  related: string | null;
  replyToRef: string | null;
  replyToHref: string | null;
  author: string | null;
  draft: boolean;
  bloggerType: string | null;
  status: string | null;
  parent: string | null;
  inReplyTo: string | null;
  filename: string | null;
  trashed: boolean;
  /** Fields whose text passed its cap and was cut. */
  cut: Field[];
}

/** Elements whose text an entry keeps, by local name and the parent they must sit in. */
type Field =
  | 'id'
  | 'published'
  | 'updated'
  | 'title'
  | 'content'
  | 'summary'
  | 'totalResults'
  | 'draft'
  | 'author'
  | 'type'
  | 'status'
  | 'parent'
  | 'inReplyTo'
  | 'filename';

export function createBloggerExportParser(handlers: BloggerExportHandlers): BloggerExportParser {
  const reader = entryReader(handlers);
  const { summary, warn, fail } = reader;
  const lines = lineCounter();
  const undeclaredSeen = new Set<string>();
  /** Namespace prefixes declared on each open element (XML scoping). */
  const declared: string[][] = [];
  /** How many open elements declare each prefix: a lookup per name, whatever the depth. */
  const inScope = new Map<string, number>();
  /** Local names of open elements, outermost first. */
  const path: string[] = [];
  let entry: Entry | null = null;
  let entryDepth = -1;
  let field: Field | null = null;
  let fieldDepth = -1;
  let text: string[] = [];
  /** Characters of the current field kept so far, and whether some were dropped. */
  let textLength = 0;
  let textCut = false;
  let feedClosed = false;
  let sawFeed = false;
  let sawDoctype = false;
  /** Set when the input is too hostile to read on (see `stop`): the parser is paused for good and nothing more is written to it. */
  let stopped = false;
  /** Whether the parser reported anything during the current write, and where (and on which line) its last report ended. */
  let reported = false;
  let lastReportEnd = 0;
  let lastReportLine = 1;

  const parser: Parser = new Parser(
    {
      onopentag(name, attribs) {
        reported = true;
        if (stopped) return;
        const local = localName(name);
        checkNamespaces(name, attribs);
        path.push(local);
        const depth = path.length - 1;
        if (depth >= MAX_DEPTH) {
          stop(
            lines.at(parser.startIndex),
            `elements nested more than ${MAX_DEPTH} deep: not a Blogger export; the rest of the file is not read`,
          );
          return;
        }
        if (local === 'feed' && depth === 0) sawFeed = true;
        if (local === 'entry' && entry === null) {
          entry = emptyEntry(lines.at(parser.startIndex));
          entryDepth = depth;
          return;
        }
        if (!entry && depth === 1 && field === null) {
          // A feed page's own facts: where the next page is, and how many entries there are in all.
          if (local === 'link' && attribs['rel'] === 'next') summary.next ??= attribs['href'] ?? null;
          if (local === 'totalResults') startField('totalResults', depth);
          return;
        }
        if (!entry || field !== null) return;
        const parent = path[depth - 1];
        const inEntry = depth === entryDepth + 1;
        if (inEntry && local === 'category') {
          const term = attribs['term'] ?? '';
          const label = oneLine(term).slice(0, 200);
          if (attribs['scheme'] === KIND_SCHEME) entry.kind = /#(\w+)$/.exec(term)?.[1] ?? term;
          else if (label && !entry.labels.includes(label)) entry.labels.push(label);
        } else if (inEntry && local === 'link') {
          const rel = attribs['rel'];
          const href = attribs['href'] ?? null;
          if (rel === 'alternate') entry.alternate ??= href;
          else if (rel === 'related') entry.related ??= href;
        } else if (inEntry && local === 'in-reply-to') {
          entry.replyToRef = attribs['ref'] ?? null;
          entry.replyToHref = attribs['href'] ?? null;
        } else if (inEntry && local === 'trashed') {
          entry.trashed = true;
        } else {
          const kept = fieldOf(local, parent, inEntry);
          if (kept) {
            startField(kept, depth);
            if (kept === 'title') entry.titleType = attribs['type'] ?? 'text';
            if (kept === 'content') entry.contentType = attribs['type'] ?? 'text';
            if (kept === 'summary') entry.summaryType = attribs['type'] ?? 'text';
          }
        }
      },
      ontext(data) {
        reported = true;
        if (field === null || stopped) return;
        const room = (field === 'content' || field === 'summary' ? MAX_CONTENT_CHARS : MAX_FIELD_CHARS) - textLength;
        if (data.length > room) {
          textCut = true;
          if (room <= 0) return;
          data = data.slice(0, room);
        }
        text.push(data);
        textLength += data.length;
      },
      oncomment() {
        reported = true;
      },
      onprocessinginstruction(name, data) {
        reported = true;
        // `<!DOCTYPE feed [ <!ENTITY … > ]>`: said once, since a reader may wonder why `&name;` stays as written.
        if (sawDoctype || stopped || !/^!(doctype|entity)$/i.test(name)) return;
        if (!/\[|<!ENTITY|\bSYSTEM\b|\bPUBLIC\b/i.test(data)) return;
        sawDoctype = true;
        warn(
          lines.at(parser.startIndex),
          'the file declares a DTD (entities or an external file): it is ignored, entities are not expanded and nothing it names is read',
        );
      },
      onclosetag(_name, isImplied) {
        reported = true;
        if (stopped) return;
        const depth = path.length - 1;
        path.pop();
        for (const prefix of declared.pop() ?? []) inScope.set(prefix, inScope.get(prefix)! - 1);
        if (depth === 0) feedClosed = !isImplied;
        if (field !== null && depth === fieldDepth) {
          if (entry) {
            keep(entry, field, text.join(''));
            if (textCut) entry.cut.push(field);
          } else if (field === 'totalResults') {
            summary.totalResults = wholeNumber(text.join(''));
          }
          field = null;
          text = [];
        }
        if (entry && depth === entryDepth) {
          const done = entry;
          entry = null;
          if (isImplied) {
            summary.entries++;
            summary.unreadable++;
            summary.stoppedAt ??= done.line;
            fail(done.line, 'entry is cut off (the file ends or breaks off inside it): not read');
          } else {
            reader.finish(done);
          }
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );

  function startField(kept: Field, depth: number): void {
    field = kept;
    fieldDepth = depth;
    text = [];
    textLength = 0;
    textCut = false;
  }

  /** Input too hostile to go on with: stop reading, and say what was left unread. */
  function stop(line: number, message: string): void {
    stopped = true;
    parser.pause();
    summary.stoppedAt = line;
    if (entry) summary.unreadable++;
    fail(line, message);
  }

  function checkNamespaces(name: string, attribs: Record<string, string>): void {
    const here: string[] = [];
    for (const attribute of Object.keys(attribs)) {
      if (attribute.startsWith('xmlns:')) here.push(attribute.slice(6));
    }
    for (const prefix of here) inScope.set(prefix, (inScope.get(prefix) ?? 0) + 1);
    declared.push(here);
    const names = [name, ...Object.keys(attribs).filter((a) => a.includes(':') && !a.startsWith('xmlns:'))];
    for (const qualified of names) {
      const colon = qualified.indexOf(':');
      if (colon <= 0) continue;
      const prefix = qualified.slice(0, colon);
      if (BUILT_IN_PREFIXES.has(prefix) || undeclaredSeen.has(prefix) || (inScope.get(prefix) ?? 0) > 0) continue;
      undeclaredSeen.add(prefix);
      warn(
        lines.at(parser.startIndex),
        `namespace prefix "${prefix}:" is used but never declared (not well-formed XML); read anyway`,
      );
    }
  }

  function keep(e: Entry, kept: Field, value: string): void {
    switch (kept) {
      case 'id':
        e.id = value.trim();
        break;
      case 'published':
        e.published = value.trim();
        break;
      case 'updated':
        e.updated = value.trim();
        break;
      case 'summary':
        e.summary = value;
        break;
      case 'title':
        e.title = value;
        break;
      case 'content':
        e.content = value;
        break;
      case 'draft':
        e.draft = value.trim().toLowerCase() === 'yes';
        break;
      case 'author':
        e.author ??= oneLine(value) || null;
        break;
      case 'type':
        e.bloggerType = value.trim().toUpperCase();
        break;
      case 'status':
        e.status = value.trim().toUpperCase();
        break;
      case 'parent':
        e.parent = value.trim() || null;
        break;
      case 'inReplyTo':
        e.inReplyTo = value.trim() || null;
        break;
      case 'filename':
        e.filename = value.trim() || null;
        break;
    }
  }

  return {
    write(chunk: string) {
      if (stopped) return;
      lines.add(chunk);
      parser.write(chunk);
      if (reported) {
        reported = false;
        lastReportEnd = parser.endIndex;
        lastReportLine = lines.at(lastReportEnd);
      } else if (!stopped && lines.received() - lastReportEnd > MAX_UNBROKEN_CHARS) {
        stop(
          lastReportLine,
          `a comment, CDATA section or tag runs on for more than ${MAX_UNBROKEN_CHARS / 1024 / 1024} MB: not a Blogger export; the rest of the file is not read`,
        );
      }
    },
    end() {
      if (stopped) return summary;
      parser.end();
      if (!sawFeed) {
        warn(1, 'no <feed> element: not a Blogger export');
      } else if (!feedClosed) {
        // A cut entry was reported as the problem already; a cut between entries is reported here.
        const entryCut = summary.stoppedAt !== null;
        summary.stoppedAt ??= lines.total();
        (entryCut ? warn : fail)(lines.total(), 'the file ends before </feed>: it may be cut short');
      }
      return summary;
    },
  };
}

/**
 * A posts or comments feed fetched with `?alt=json` (GData JSON: every value
 * is `{ "$t": … }`): its entries read exactly as the XML ones are. There are
 * no lines in parsed JSON, so warnings give the entry's number in the feed.
 */
export function readBloggerJsonFeed(json: unknown, handlers: BloggerExportHandlers): BloggerExportSummary {
  const reader = entryReader(handlers);
  const feed = field(json, 'feed');
  if (typeof feed !== 'object' || feed === null || Array.isArray(feed)) {
    reader.warn(1, 'JSON without a "feed" object: not a Blogger feed');
    return reader.summary;
  }
  const next = field(
    list(field(feed, 'link')).find((l) => field(l, 'rel') === 'next'),
    'href',
  );
  reader.summary.next = typeof next === 'string' && next ? next : null;
  reader.summary.totalResults = wholeNumber(textOf(field(feed, 'openSearch$totalResults')));
  list(field(feed, 'entry')).forEach((item, i) => {
    const e = emptyEntry(i + 1);
    e.id = textOf(field(item, 'id')).trim();
    e.published = textOf(field(item, 'published')).trim();
    e.updated = textOf(field(item, 'updated')).trim();
    e.title = textOf(field(item, 'title'));
    e.titleType = String(field(field(item, 'title'), 'type') ?? 'text');
    e.content = textOf(field(item, 'content'));
    e.contentType = String(field(field(item, 'content'), 'type') ?? 'text');
    e.summary = textOf(field(item, 'summary'));
    e.summaryType = String(field(field(item, 'summary'), 'type') ?? 'text');
    for (const category of list(field(item, 'category'))) {
      const term = String(field(category, 'term') ?? '').trim();
      if (field(category, 'scheme') === KIND_SCHEME) e.kind = /#(\w+)$/.exec(term)?.[1] ?? term;
      else if (term && !e.labels.includes(term)) e.labels.push(term);
    }
    for (const link of list(field(item, 'link'))) {
      const href = typeof field(link, 'href') === 'string' ? (field(link, 'href') as string) : null;
      if (field(link, 'rel') === 'alternate') e.alternate ??= href;
      else if (field(link, 'rel') === 'related') e.related ??= href;
    }
    const replyTo = field(item, 'thr$in-reply-to');
    if (replyTo) {
      e.replyToRef = typeof field(replyTo, 'ref') === 'string' ? (field(replyTo, 'ref') as string) : null;
      e.replyToHref = typeof field(replyTo, 'href') === 'string' ? (field(replyTo, 'href') as string) : null;
    }
    e.author = oneLine(textOf(field(list(field(item, 'author'))[0], 'name'))) || null;
    e.draft =
      textOf(field(field(item, 'app$control'), 'app$draft'))
        .trim()
        .toLowerCase() === 'yes';
    reader.finish(e);
  });
  return reader.summary;
}

/** A property of a JSON value that may not be an object. */
function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** GData's `{ "$t": "…" }`. */
function textOf(value: unknown): string {
  const t = field(value, '$t');
  return typeof t === 'string' ? t : typeof t === 'number' ? String(t) : '';
}

/**
 * What every entry goes through once read, whichever form it came in (the
 * streamed XML of an export or a feed page, or a feed's `?alt=json`):
 * classified, checked, turned into a Post or a Comment and handed over.
 */
function entryReader(handlers: BloggerExportHandlers) {
  const summary: BloggerExportSummary = {
    format: null,
    entries: 0,
    posts: 0,
    comments: 0,
    replies: 0,
    deletedComments: 0,
    draftsSkipped: 0,
    ignored: { settings: 0, templates: 0, pages: 0, other: 0 },
    commentsOnIgnored: 0,
    unreadable: 0,
    warnings: 0,
    stoppedAt: null,
    summaryOnly: 0,
    next: null,
    totalResults: null,
    newestUpdate: null,
  };
  /** Post id → its address, for comment permalinks (a few thousand short strings). */
  const postUrls = new Map<string, string | null>();
  /** Pages and drafts: their comments are not archive content either. */
  const ignoredPostIds = new Set<string>();

  const warn = (line: number, message: string) => {
    summary.warnings++;
    handlers.onWarning({ line, message });
  };
  const fail = (line: number, message: string) => {
    summary.warnings++;
    (handlers.onError ?? handlers.onWarning)({ line, message });
  };

  function finishEntry(e: Entry): void {
    summary.entries++;
    const takeout = e.bloggerType !== null;
    // Feed entries carry no kind: in a comments feed every entry answers a post, in a posts feed none does.
    const feed =
      !takeout &&
      e.kind === null &&
      (summary.format === null || summary.format === 'feed') &&
      bloggerId(e.id, 'post') !== null;
    if (summary.format === null && (takeout || e.kind !== null || feed))
      summary.format = takeout ? 'takeout' : feed ? 'feed' : 'classic';
    const kind = takeout ? e.bloggerType!.toLowerCase() : feed ? (e.replyToRef ? 'comment' : 'post') : e.kind;
    if (e.updated && (summary.newestUpdate === null || Date.parse(e.updated) > Date.parse(summary.newestUpdate))) {
      summary.newestUpdate = detached(e.updated);
    }
    switch (kind) {
      case 'post':
        return finishPost(e, takeout);
      case 'comment':
        return finishComment(e, takeout);
      case 'page': {
        summary.ignored.pages++;
        const id = bloggerId(e.id, 'page');
        if (id) ignoredPostIds.add(detached(id));
        return;
      }
      case 'settings':
        summary.ignored.settings++;
        return;
      case 'template':
        summary.ignored.templates++;
        return;
      case null:
      case undefined:
        summary.unreadable++;
        warn(e.line, 'entry has no kind (neither a kind# category nor blogger:type): not read');
        return;
      default:
        summary.ignored.other++;
    }
  }

  function finishPost(e: Entry, takeout: boolean): void {
    const id = bloggerId(e.id, 'post');
    if (!id) {
      summary.unreadable++;
      warn(e.line, `post entry has no Blogger post id (<id>${oneLine(e.id).slice(0, 80)}</id>): not read`);
      return;
    }
    const status = takeout ? (e.status ?? 'LIVE') : 'LIVE';
    if (e.draft || status !== 'LIVE' || e.trashed) {
      summary.draftsSkipped++;
      ignoredPostIds.add(detached(id));
      return;
    }
    reportCut(e, `post ${id}`);
    const text = contentText(e);
    const summaryOnly = e.content === '' && e.summary !== '';
    if (summaryOnly) summary.summaryOnly++;
    const url = takeout ? takeoutUrl(e.filename) : e.alternate;
    const when = takeout
      ? zonedDateTime(e.published, handlers.timeZone ?? 'Europe/London')
      : ownOffsetDateTime(e.published);
    if (!when)
      warn(
        e.line,
        `post ${id} has no readable <published> date ("${oneLine(e.published).slice(0, 40)}"): stored without a date`,
      );
    const post: Post = {
      id,
      title: titleOf(e, text),
      date: when?.date ?? null,
      time: when?.time ?? null,
      author: e.author,
      url,
      labels: e.labels,
      text,
    };
    postUrls.set(detached(id), url === null ? null : detached(url));
    summary.posts++;
    handlers.onPost(post, e.line, { summaryOnly, html: summaryOnly ? e.summary : e.content });
  }

  function finishComment(e: Entry, takeout: boolean): void {
    const id = bloggerId(e.id, 'post') ?? bloggerId(e.id, 'comment');
    const postId = takeout ? trailingId(e.parent) : trailingId(e.replyToRef);
    if (!id || !postId) {
      summary.unreadable++;
      warn(
        e.line,
        id
          ? `comment ${id} does not say which post it belongs to: not read`
          : 'comment entry has no Blogger id: not read',
      );
      return;
    }
    if (ignoredPostIds.has(postId)) {
      summary.commentsOnIgnored++;
      return;
    }
    const parentId = takeout ? trailingId(e.inReplyTo) : relatedCommentId(e.related);
    reportCut(e, `comment ${id}`);
    const text = contentText(e);
    const deleted =
      DELETED_COMMENT.test(oneLine(text)) || (takeout && (e.trashed || (e.status !== null && e.status !== 'LIVE')));
    const when = takeout
      ? zonedDateTime(e.published, handlers.timeZone ?? 'Europe/London')
      : ownOffsetDateTime(e.published);
    const postUrl = postUrls.get(postId) ?? e.replyToHref ?? pageOf(e.alternate);
    const millis = Date.parse(e.published.trim());
    const comment: Comment = {
      id,
      postId,
      parentId: parentId && parentId !== id ? parentId : null,
      author: e.author,
      date: when?.date ?? null,
      time: when?.time ?? null,
      text: deleted ? '' : text,
      permalink: postUrl && Number.isFinite(millis) ? `${postUrl}?showComment=${millis}#c${id}` : null,
      deleted,
    };
    summary.comments++;
    if (comment.parentId) summary.replies++;
    if (deleted) summary.deletedComments++;
    handlers.onComment(comment, e.line);
  }

  /** A field cut at its cap is kept in part: say which, so the operator knows that text is incomplete. */
  function reportCut(e: Entry, what: string): void {
    for (const name of e.cut) {
      const limit =
        name === 'content' || name === 'summary'
          ? `${MAX_CONTENT_CHARS / 1024 / 1024} MB`
          : `${MAX_FIELD_CHARS / 1024} KB`;
      warn(e.line, `${what}: its ${name} is longer than ${limit}: only the first ${limit} are kept`);
    }
  }

  function takeoutUrl(filename: string | null): string | null {
    if (!filename || !handlers.blogUrl) return null;
    return `${handlers.blogUrl.replace(/\/+$/, '')}/${filename.replace(/^\/+/, '')}`;
  }

  return { summary, warn, fail, finish: finishEntry };
}

function fieldOf(local: string, parent: string | undefined, inEntry: boolean): Field | null {
  if (inEntry) {
    switch (local) {
      case 'id':
      case 'published':
      case 'updated':
      case 'title':
      case 'content':
      case 'summary':
      case 'status':
      case 'parent':
      case 'filename':
        return local;
      case 'type':
        return 'type';
      case 'inReplyTo':
        return 'inReplyTo';
      default:
        return null;
    }
  }
  if (local === 'draft' && parent === 'control') return 'draft';
  if (local === 'name' && parent === 'author') return 'author';
  return null;
}

function emptyEntry(line: number): Entry {
  return {
    line,
    id: '',
    published: '',
    updated: '',
    title: '',
    titleType: 'text',
    content: '',
    contentType: 'text',
    summary: '',
    summaryType: 'text',
    kind: null,
    labels: [],
    alternate: null,
    related: null,
    replyToRef: null,
    replyToHref: null,
    author: null,
    draft: false,
    bloggerType: null,
    status: null,
    parent: null,
    inReplyTo: null,
    filename: null,
    trashed: false,
    cut: [],
  };
}

/**
 * A copy of a string that is kept for the whole file. The parser's strings
 * are slices of the chunk they were read from, and V8 keeps a whole chunk
 * (1 MB) alive for as long as any slice of it lives.
 */
function detached(value: string): string {
  return ` ${value}`.slice(1);
}

function wholeNumber(value: string): number | null {
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** `gd:extendedProperty` → `extendedProperty`: prefixes vary between tools, local names do not. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The digits of `tag:blogger.com,1999:blog-<blogId>.post-<id>`, kept as a string (19 digits overflow a number). */
function bloggerId(tag: string, kind: 'post' | 'page' | 'comment'): string | null {
  return new RegExp(`\\.${kind}-(\\d+)/?\\s*$`).exec(tag)?.[1] ?? null;
}

/** The id at the end of a tag, a feed URL or a bare id (`…post-123`, `…/123`, `123`). */
function trailingId(value: string | null): string | null {
  if (!value) return null;
  return /(\d+)\/?\s*$/.exec(value.trim())?.[1] ?? null;
}

/** A classic comment's parent: `…/comments/default/<parentId>` (a trailing `?v=2` stripped). */
function relatedCommentId(href: string | null): string | null {
  if (!href) return null;
  return /\/comments\/default\/(\d+)/.exec(href.replace(/\?.*$/, ''))?.[1] ?? null;
}

/** A comment's own link without its `?showComment=…#c…`: the page it is on. */
function pageOf(href: string | null): string | null {
  if (!href) return null;
  const page = href.replace(/[?#].*$/, '');
  return page || null;
}

function contentText(e: Entry): string {
  if (e.content === '' && e.summary !== '')
    return contentText({ ...e, content: e.summary, contentType: e.summaryType, summary: '' });
  if (e.contentType === 'html' || e.contentType === 'xhtml' || e.contentType === 'text/html')
    return htmlToText(e.content);
  return htmlToText(e.content.replace(/[&<]/g, (c) => (c === '&' ? '&amp;' : '&lt;')).replace(/\n/g, '<br>'));
}

/** The title as a reader sees it (Blogger double-escapes them), or the post's first words when it has none. */
function titleOf(e: Entry, text: string): string {
  const raw = e.titleType === 'html' ? htmlToText(e.title) : decodeEntities(e.title);
  const title = oneLine(raw);
  if (title) return title;
  const first = oneLine(text.split('\n').find((l) => l.trim() !== '') ?? '');
  if (!first) return '(untitled)';
  return first.length <= 80
    ? first
    : `${first.slice(0, first.lastIndexOf(' ', 79) > 20 ? first.lastIndexOf(' ', 79) : 79)}…`;
}

interface DateTime {
  date: string;
  time: string;
}

/** `2012-11-05T00:15:05.941+11:00` → 2012-11-05 00:15: the wall clock the blog itself showed. */
function ownOffsetDateTime(value: string): DateTime | null {
  const m = /^\s*(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  return m ? { date: m[1]!, time: m[2]! } : null;
}

/** A UTC time (`…Z`) as the wall clock in `timeZone`. */
function zonedDateTime(value: string, timeZone: string): DateTime | null {
  const millis = Date.parse(value.trim());
  if (!Number.isFinite(millis)) return null;
  const parts = Object.fromEntries(
    zoneFormat(timeZone)
      .formatToParts(new Date(millis))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const hour = parts['hour'] === '24' ? '00' : parts['hour'];
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${hour}:${parts['minute']}` };
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/**
 * 1-based line of a character index in the stream, counted once as chunks
 * arrive. Queries come in (almost) increasing order, so a cursor walks
 * forward and chunks behind it are dropped: memory stays two or three chunks,
 * even through a 100 MB text with no tag in it to ask about. A tag that
 * started before the chunks still held (one longer than a chunk) is given
 * the line where the held text begins.
 */
function lineCounter() {
  const chunks: { start: number; text: string }[] = [];
  let received = 0;
  let newlinesReceived = 0;
  let cursor = 0;
  let cursorLine = 1;

  const countNewlines = (text: string, from: number, to: number) => {
    let n = 0;
    for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };

  return {
    add(chunk: string) {
      chunks.push({ start: received, text: chunk });
      received += chunk.length;
      newlinesReceived += countNewlines(chunk, 0, chunk.length);
      while (chunks.length > 3) {
        const first = chunks.shift()!;
        const end = first.start + first.text.length;
        if (cursor < end) {
          cursorLine += countNewlines(first.text, Math.max(0, cursor - first.start), first.text.length);
          cursor = end;
        }
      }
    },
    at(index: number): number {
      if (index < cursor) {
        // Rare (a tag that started in an earlier chunk): count back if that text is still held.
        let line = cursorLine;
        for (const c of chunks) {
          const from = Math.max(index, c.start) - c.start;
          const to = Math.min(cursor, c.start + c.text.length) - c.start;
          if (to > from) line -= countNewlines(c.text, from, to);
        }
        return line;
      }
      for (const c of chunks) {
        const end = c.start + c.text.length;
        if (end <= cursor) continue;
        const from = Math.max(cursor, c.start) - c.start;
        const to = Math.min(index, end) - c.start;
        if (to > from) cursorLine += countNewlines(c.text, from, to);
        if (index < end) break;
      }
      cursor = Math.min(index, received);
      // Keep the chunk the cursor is in and the one before it; older ones can no longer be asked about.
      while (chunks.length > 2 && chunks[1]!.start + chunks[1]!.text.length <= cursor) chunks.shift();
      return cursorLine;
    },
    /** Characters received. */
    received(): number {
      return received;
    },
    /** The last line of what was received. */
    total(): number {
      return newlinesReceived + 1;
    },
  };
}
