// What an import may hold: kept apart from the importer, so the page can refuse a file before loading the YAML reader.

export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const IMPORT_MAX_DOCUMENTS = 1_000;
export const IMPORT_MAX_GROUPS = 2_000;
export const IMPORT_MAX_RULES = 5_000;
/** Nesting of YAML collections; a rule file needs about 10. */
export const IMPORT_MAX_NESTING = 100;
export const IMPORT_MAX_ALIASES = 100;
/**
 * YAML tokens over all documents. The YAML library spends microseconds per token, so 2 MiB of one-character values
 * ("- 1" lines) would take seconds; real rule files hold 0.05-0.12 tokens per byte, under 250,000 in 2 MiB.
 */
export const IMPORT_MAX_TOKENS = 300_000;
