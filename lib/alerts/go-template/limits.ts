/** Longest template checked or rendered: annotations are short; this keeps a pasted blob from stalling the page. */
export const MAX_TEMPLATE_LENGTH = 64 * 1024;
/** Output and work budget of one preview: nested ranges over labels would otherwise multiply without bound. */
export const MAX_OUTPUT = 256 * 1024;
export const MAX_STEPS = 200_000;
export const MAX_DEPTH = 64;
