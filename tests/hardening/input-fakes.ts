// Made-up input for the hostile-input tests: Blogger export entries (every
// id, name and word invented; the blog is fake-blog.example) and a local HTTP
// server that records every request, so a test can prove nothing was fetched.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BLOG = 'https://fake-blog.example';

const KIND = (kind: string) =>
  `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#${kind}'/>`;

/** A classic export around `entries`; `prolog` goes between the XML declaration and `<feed>` (a DTD, say). */
export function fakeExport(entries: string[], prolog = ''): string {
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    ...(prolog ? [prolog] : []),
    "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>",
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

/** A post entry; `html` is the post's HTML as Blogger stores it (escape it first with `escapeXml`). */
export function fakePost(id: string, title: string, html: string, published = '2022-02-02T10:00:00.000+00:00'): string {
  return (
    `<entry><id>tag:blogger.com,1999:blog-7.post-${id}</id><published>${published}</published>${KIND('post')}` +
    `<title type='text'>${title}</title><content type='html'>${html}</content>` +
    `<link rel='alternate' type='text/html' href='${BLOG}/p${id}.html'/><author><name>Fake Editor</name></author></entry>`
  );
}

export function fakeComment(id: string, postId: string, html: string, author = 'Fake Reader'): string {
  return (
    `<entry><id>tag:blogger.com,1999:blog-7.post-${id}</id><published>2022-02-03T11:00:00.000+00:00</published>${KIND('comment')}` +
    `<content type='html'>${html}</content><author><name>${author}</name></author>` +
    `<thr:in-reply-to ref='tag:blogger.com,1999:blog-7.post-${postId}' href='${BLOG}/p${postId}.html'/></entry>`
  );
}

/** HTML as it sits inside an export's `<content type='html'>`: escaped once. */
export function escapeXml(html: string): string {
  return html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface RecordingServer {
  url: string;
  /** Every request's path, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1 that answers with `handle` (404 by default) and records what was asked. */
export async function recordingServer(
  handle?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RecordingServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (handle) handle(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
