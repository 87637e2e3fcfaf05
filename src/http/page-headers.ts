/**
 * A listing answers an array, as the original did; what lexi knows beyond the page goes in
 * headers: `X-Total-Count` (all matches) and `Link` (RFC 8288) to the next and previous pages.
 */
export interface Page {
  limit: number;
  skip: number;
}

/**
 * @example
 * pageHeaders("/api/v1/ai/interactions/user/u1?limit=2", { limit: 2, skip: 0 }, 5)
 * // { "x-total-count": "5", link: '</api/v1/ai/interactions/user/u1?limit=2&skip=2>; rel="next"' }
 */
export function pageHeaders(url: string, page: Page, total: number): Record<string, string> {
  const [path, search = ""] = url.split("?", 2) as [string, string?];
  const at = (skip: number) => {
    const params = new URLSearchParams(search);
    params.set("limit", String(page.limit));
    params.set("skip", String(skip));
    return `<${path}?${params}>`;
  };
  const links: string[] = [];
  if (page.skip + page.limit < total) links.push(`${at(page.skip + page.limit)}; rel="next"`);
  if (page.skip > 0) links.push(`${at(Math.max(0, page.skip - page.limit))}; rel="prev"`);
  return { "x-total-count": String(total), ...(links.length ? { link: links.join(", ") } : {}) };
}
