package dev.sluice.rag;

/**
 * A passage of one page, small enough to rank and inject on its own.
 *
 * @param page        index of the page in the request's source list
 * @param ordinal     position of the chunk in its page (to restore page order)
 * @param headingPath the headings above it, outermost first, joined with " > " (empty when none)
 * @param text        the passage (Markdown)
 */
record Chunk(int page, int ordinal, String headingPath, String text) {
}
