// Links a member can click. A text dump carries no URLs, so a dated post links
// to the blog's month archive (always valid); an undated one to the blog's
// own search for its title.

export interface Linkable {
  title: string;
  date: string | null;
  url: string | null;
}

export function postLink(post: Linkable, blogUrl: string): string {
  if (post.url) return post.url;
  const base = blogUrl.replace(/\/+$/, '');
  if (post.date) return `${base}/${post.date.slice(0, 4)}/${post.date.slice(5, 7)}/`;
  return `${base}/search?q=${encodeURIComponent(post.title)}`;
}

/** `https://x.blogspot.com/` and `https://x.blogspot.com` are one blog. */
export function normalBlogUrl(blogUrl: string): string {
  return blogUrl.trim().replace(/\/+$/, '');
}

/** What a pasted blog address may name: a comment (its `#c` id) and the post's address as the store may hold it. */
export interface BlogAddress {
  /** The comment id from a permalink's `#c…` fragment; null when the address names no comment. */
  commentId: string | null;
  /** The address names a comment (a `#c…` fragment or `showComment`), even when its id is not read. */
  namesComment: boolean;
  /** The address as given and in its https form, for an exact permalink match. */
  exact: string[];
  /** The post's address without query or fragment, in https and http forms. */
  post: string[];
}

/** A blog address taken apart; null when `text` is not an http(s) address. */
export function blogAddress(text: string): BlogAddress | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const commentId = /^#c(\d+)$/.exec(url.hash)?.[1] ?? null;
  const bare = `${url.host}${url.pathname}`;
  const https = new URL(url);
  https.protocol = 'https:';
  return {
    commentId,
    namesComment: commentId !== null || url.searchParams.has('showComment'),
    exact: [...new Set([text.trim(), url.href, https.href])],
    post: [`https://${bare}`, `http://${bare}`],
  };
}
