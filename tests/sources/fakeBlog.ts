// A made-up Blogger blog served on 127.0.0.1: its posts and comments feeds in
// Blogger's Atom form, paged with start-index/max-results (capped like the
// real server), filtered by `updated-min` only with `orderby=updated` (as
// Blogger does), with faults to inject and every request recorded. A test
// drops a post or comment (as the blog's owner deleting it) by taking it out
// of `posts` or `comments`, and brings it back by putting it in again.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePost {
  id: string;
  title: string;
  html: string;
  published: string;
  updated: string;
  author?: string;
}

export interface FakeComment {
  id: string;
  postId: string;
  parentId?: string;
  html: string;
  published: string;
  updated: string;
  author?: string;
}

/**
 * A status (with headers or a body), a stall, or a page gone wrong: the connection reset before an answer, the
 * page cut off halfway (`truncated`), its markup broken (`bad-xml`), an entry on it without a Blogger id
 * (`odd-entry`), or served as the last page though more entries follow (`last-page`: no `next` link).
 */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string }
  | 'hang'
  | 'reset'
  | 'truncated'
  | 'bad-xml'
  | 'odd-entry'
  | 'last-page';

export interface FakeBlog {
  url: string;
  posts: FakePost[];
  comments: FakeComment[];
  /** Answer the next `times` requests to a feed with `fault` (a status or a stall). */
  failNext(feed: 'posts' | 'comments', fault: Fault, times?: number, options?: { startIndex?: number }): void;
  /** Serve `<summary>` in place of `<content>`, as a blog set to summary feeds does. */
  summaries: boolean;
  /** Entries per page at most, whatever is asked. */
  cap: number;
  /** Where the `rel='next'` links point (scheme and host), when not the blog itself: an old feed lists http pages. */
  nextOrigin: string | null;
  requests: { feed: string; params: URLSearchParams; userAgent: string | undefined }[];
  /** Most requests in progress at one time. */
  maxInFlight: number;
  /** Every feed page is answered this long after it is asked (a slow blog; default 0). */
  delayMs: number;
  /** Called as each feed page is asked for, before it is made: the blog changing while it is read. */
  onPage: ((feed: 'posts' | 'comments', startIndex: number) => void) | null;
  close(): Promise<void>;
}

const BLOG_ID = '999000111';

export async function startFakeBlog(
  options: { posts?: FakePost[]; comments?: FakeComment[]; cap?: number } = {},
): Promise<FakeBlog> {
  const faults: { feed: string; fault: Fault; startIndex?: number }[] = [];
  let inFlight = 0;
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    inFlight++;
    blog.maxInFlight = Math.max(blog.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const url = new URL(req.url ?? '/', blog.url);
    const feed = /^\/feeds\/(posts|comments)\/default$/.exec(url.pathname)?.[1];
    blog.requests.push({ feed: feed ?? url.pathname, params: url.searchParams, userAgent: header(req, 'user-agent') });
    if (!feed) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    const startIndex = Number(url.searchParams.get('start-index') ?? 1);
    blog.onPage?.(feed as 'posts' | 'comments', startIndex);
    const faultAt = faults.findIndex(
      (f) => f.feed === feed && (f.startIndex === undefined || f.startIndex === startIndex),
    );
    if (faultAt !== -1) {
      const { fault } = faults.splice(faultAt, 1)[0]!;
      if (fault === 'hang') {
        // Never answer; released (and the socket closed) when the server closes.
        hanging.add(() => res.destroy());
        return;
      }
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault === 'truncated' || fault === 'bad-xml' || fault === 'odd-entry' || fault === 'last-page') {
        const page = feedPage(blog, feed as 'posts' | 'comments', url);
        const body =
          fault === 'truncated'
            ? page.slice(0, Math.floor(page.length / 2))
            : fault === 'bad-xml'
              ? page.replace(/<entry>/, "<entry><id>tag:blogger.com,1999:blog-broken</id><title type='text'><entry>")
              : fault === 'odd-entry'
                ? page.replace(/<entry><id>[^<]*<\/id>/, '<entry><id>tag:example.org,2024:made-up-entry</id>')
                : page.replace(/<link rel='next'[^>]*\/>/, '');
        res.writeHead(200, { 'content-type': 'application/atom+xml; charset=UTF-8' }).end(body);
        return;
      }
      res
        .writeHead(fault.status, { 'content-type': 'text/html', ...fault.headers })
        .end(fault.body ?? `<html>${fault.status}</html>`);
      return;
    }
    const answer = () =>
      res
        .writeHead(200, { 'content-type': 'application/atom+xml; charset=UTF-8' })
        .end(feedPage(blog, feed as 'posts' | 'comments', url));
    if (blog.delayMs > 0) setTimeout(answer, blog.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const blog: FakeBlog = {
    url: `http://127.0.0.1:${port}`,
    posts: options.posts ?? [],
    comments: options.comments ?? [],
    summaries: false,
    cap: options.cap ?? 150,
    nextOrigin: null,
    requests: [],
    maxInFlight: 0,
    delayMs: 0,
    onPage: null,
    failNext(feed, fault, times = 1, at = {}) {
      for (let i = 0; i < times; i++) faults.push({ feed, fault, startIndex: at.startIndex });
    },
    async close() {
      for (const release of hanging) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return blog;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function feedPage(blog: FakeBlog, feed: 'posts' | 'comments', url: URL): string {
  const params = url.searchParams;
  const byUpdated = params.get('orderby') === 'updated';
  const updatedMin = byUpdated && params.get('updated-min') ? Date.parse(params.get('updated-min')!) : null;
  const all: (FakePost | FakeComment)[] = feed === 'posts' ? blog.posts : blog.comments;
  // Each time read once (a full-size fake blog has 150,000 comments to order at every page).
  const entries = all
    .filter((e) => updatedMin === null || Date.parse(e.updated) >= updatedMin)
    .map((e) => ({ e, at: Date.parse(byUpdated ? e.updated : e.published) }))
    .sort((a, b) => b.at - a.at)
    .map(({ e }) => e);
  const start = Math.max(1, Number(params.get('start-index') ?? 1));
  const size = Math.min(blog.cap, Math.max(1, Number(params.get('max-results') ?? 25)));
  const page = entries.slice(start - 1, start - 1 + size);
  const next = start - 1 + size < entries.length ? new URL(url) : null;
  if (next) {
    if (blog.nextOrigin) {
      const origin = new URL(blog.nextOrigin);
      next.protocol = origin.protocol;
      next.host = origin.host;
    }
    next.searchParams.set('start-index', String(start + size));
    next.searchParams.set('max-results', String(size));
  }
  const body = page.map((e) => ('postId' in e ? commentEntry(blog, e) : postEntry(blog, e))).join('');
  return (
    `<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:thr='http://purl.org/syndication/thread/1.0'>` +
    `<id>tag:blogger.com,1999:blog-${BLOG_ID}${feed === 'comments' ? '.comments' : ''}</id><updated>2025-01-01T00:00:00.000Z</updated><title type='text'>Fake Blog</title>` +
    `<link rel='self' type='application/atom+xml' href='${escapeXml(url.toString())}'/>` +
    (next ? `<link rel='next' type='application/atom+xml' href='${escapeXml(next.toString())}'/>` : '') +
    `<openSearch:totalResults>${entries.length}</openSearch:totalResults><openSearch:startIndex>${start}</openSearch:startIndex><openSearch:itemsPerPage>${size}</openSearch:itemsPerPage>` +
    `${body}</feed>`
  );
}

export function postUrl(blog: FakeBlog, id: string): string {
  return `${blog.url}/2024/01/fake-post-${id}.html`;
}

function postEntry(blog: FakeBlog, post: FakePost): string {
  const text = blog.summaries
    ? `<summary type='text'>${escapeXml(post.html.replace(/<[^>]+>/g, '').slice(0, 40))}</summary>`
    : `<content type='html'>${escapeXml(post.html)}</content>`;
  return (
    `<entry><id>tag:blogger.com,1999:blog-${BLOG_ID}.post-${post.id}</id><published>${post.published}</published><updated>${post.updated}</updated>` +
    `<category scheme='http://www.blogger.com/atom/ns#' term='fake'/><title type='text'>${escapeXml(post.title)}</title>${text}` +
    `<link rel='replies' type='application/atom+xml' href='${blog.url}/feeds/${post.id}/comments/default' title='Post Comments'/>` +
    `<link rel='alternate' type='text/html' href='${postUrl(blog, post.id)}' title='${escapeXml(post.title)}'/>` +
    `<author><name>${escapeXml(post.author ?? 'Fake Editor')}</name></author></entry>`
  );
}

function commentEntry(blog: FakeBlog, comment: FakeComment): string {
  const page = postUrl(blog, comment.postId);
  return (
    `<entry><id>tag:blogger.com,1999:blog-${BLOG_ID}.post-${comment.id}</id><published>${comment.published}</published><updated>${comment.updated}</updated>` +
    `<title type='text'>${escapeXml(comment.html.slice(0, 20))}</title><content type='html'>${escapeXml(comment.html)}</content>` +
    `<link rel='alternate' type='text/html' href='${page}?showComment=${Date.parse(comment.published)}#c${comment.id}' title=''/>` +
    (comment.parentId
      ? `<link rel='related' type='application/atom+xml' href='${blog.url}/feeds/${comment.postId}/comments/default/${comment.parentId}?v=2'/>`
      : '') +
    `<author><name>${escapeXml(comment.author ?? 'Anonymous')}</name></author>` +
    `<thr:in-reply-to href='${page}' ref='tag:blogger.com,1999:blog-${BLOG_ID}.post-${comment.postId}' source='${blog.url}/feeds/posts/default/${comment.postId}' type='text/html'/></entry>`
  );
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>'"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}
