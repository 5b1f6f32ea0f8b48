// Object names derived from a client's display name (a user agent: attacker-controlled text) and the quoting that
// keeps them inert in a shell command.

const MAX_NAME = 253;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether the text is a DNS-1123 subdomain, the form Kubernetes requires of these object names. */
export function isDns1123Subdomain(text: string): boolean {
  return text.length <= MAX_NAME && DNS1123_SUBDOMAIN.test(text);
}

/** FNV-1a (32 bit) over the UTF-8 bytes, as 8 hex digits: short, stable across runs and platforms. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** Lowercase letters, digits, and single dashes or dots between them; diacritics dropped, the rest becomes "-". */
export function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/[-.]*\.[-.]*/g, (run) => (run === "." ? "." : "-"))
    .replace(/^[-.]+|[-.]+$/g, "");
}

/**
 * `<prefix>-<slug of the display name>`, cut to 253 characters (a hash keeps cut names apart), or `<prefix>-<hash>`
 * when nothing usable is left of it.
 */
export function objectName(display: string, prefix: string): string {
  const base = slug(display);
  if (base === "") return `${prefix}-${shortHash(display)}`;
  const full = `${prefix}-${base}`;
  if (full.length <= MAX_NAME) return full;
  const tail = `-${shortHash(display)}`;
  return `${full.slice(0, MAX_NAME - tail.length).replace(/[-.]+$/, "")}${tail}`;
}

/** POSIX single quoting: the word reaches the command unchanged whatever it holds. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
