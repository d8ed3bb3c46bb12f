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
