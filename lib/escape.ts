// Audit-derived strings (user agents, user names, URIs) are attacker-controlled. Anything placed into HTML
// outside React's own escaping — chart tooltips above all — goes through here.

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Shortens a long label for display; the full text goes in a title/tooltip. */
export function shorten(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
