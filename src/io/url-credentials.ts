// A user name or password inside a URL (scheme://user:password@host) is a secret like any other: never
// shown, never stored, never sent by aigw.

const userinfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi;

/** user:password@ in any URL in the text becomes ***@. */
export function maskUrlCredentials(text: string): string {
  return text.replace(userinfo, '$1***@');
}

export function hasUrlCredentials(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(url.trim());
}
