/** Sites as the user types them, and the host-permission match patterns that cover them. */

/** "linkedin.com", "https://www.linkedin.com/in/x" → the origin "https://www.linkedin.com"; undefined for anything else. */
export function siteOrigin(input: string): string | undefined {
  const text = input.trim();
  if (text === '' || text.length > 300) return undefined;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The host permission pattern for an origin (match patterns carry no port). */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}
