// YAML for objects that carry attacker-controlled strings. Every string value is double-quoted with everything
// outside printable ASCII escaped, so nothing is read back as another type (yes, 0123, 1e3), no text can break out
// of its scalar, YAML 1.1 parsers (kubectl's) see no raw U+0085/U+2028 line breaks, and invisible or bidi
// characters show up as escapes in the manifest a person reviews.
import { Document, type ScalarTag, type Tags } from "yaml";

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, "0");

/** A YAML double-quoted scalar using only printable ASCII. */
export function quoteYamlString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else out += cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

// Keys are ours (field names, label and annotation keys), so they keep the library's plain style.
const quotedStrings = (tags: Tags): Tags =>
  tags.map((tag) => {
    if (typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:str") return tag;
    const str = tag as ScalarTag;
    return {
      ...str,
      stringify: (item, ctx, onComment, onChompKeep) =>
        ctx.implicitKey ? str.stringify!(item, ctx, onComment, onChompKeep) : quoteYamlString(String(item.value)),
    } satisfies ScalarTag;
  });

/** A multi-document YAML stream, one document per object, without anchors or aliases. */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects
    .map((o) => new Document(o, { aliasDuplicateObjects: false, customTags: quotedStrings }).toString({ lineWidth: 0 }))
    .join("---\n");
}
