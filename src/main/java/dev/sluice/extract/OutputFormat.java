package dev.sluice.extract;

/** The form in which {@link ContentExtractor} returns the main content. */
public enum OutputFormat {
    /** CommonMark with GitHub tables and fenced code: the form LLM prompts read best. */
    MARKDOWN,
    /** Plain text: headings and list items on their own lines, paragraphs separated by blank lines. */
    TEXT,
    /** The cleaned main-content HTML (boilerplate, hidden elements, scripts and presentational attributes removed). */
    HTML
}
