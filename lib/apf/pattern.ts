// Many subjects in one phrase: "system:node:*" for 300 node identities. A long list is summarised, never cut.

/** The names' common prefix, up to its last separator, with `*`; the name itself when there is one; null when none is shared. */
export function namePattern(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return names[0]!;
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(prefix.lastIndexOf(":"), prefix.lastIndexOf("/"), prefix.lastIndexOf("-"), prefix.lastIndexOf("."));
  return cut > 0 ? `${prefix.slice(0, cut + 1)}*` : null;
}

/** Groups every one of the users is in, but the ones every authenticated user is in. */
export function sharedGroups(groups: ReadonlyArray<readonly string[]>): string[] {
  if (groups.length === 0) return [];
  const all = new Set(["system:authenticated", "system:unauthenticated"]);
  return groups[0]!.filter((g) => !all.has(g) && groups.every((gs) => gs.includes(g)));
}
