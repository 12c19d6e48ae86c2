package dev.sluice.extract;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The result of one extraction. Every metadata field is null when the page does not say.
 *
 * @param title         the page's title (og:title, JSON-LD headline, {@code <title>} or the first h1)
 * @param byline        author(s) as the page names them
 * @param siteName      the site or publisher name
 * @param publishedTime publication time, ISO-8601 when it could be parsed, otherwise as the page wrote it
 * @param lang          the content language ({@code <html lang>} or a language meta tag)
 * @param excerpt       a short description (meta description, og:description, or the content's first paragraph)
 * @param canonicalUrl  absolute canonical URL ({@code <link rel=canonical>}, og:url), else the base URL
 * @param pageType      a guess at the kind of page
 * @param content       the main content in the requested format
 * @param wordCount     words in the main content (before any maxChars cut)
 * @param truncated     whether maxChars cut the content
 * @param links         links in the main content (absolute, de-duplicated); empty unless links were requested
 */
@RegisterForReflection
public record ExtractedPage(
        String title,
        String byline,
        String siteName,
        String publishedTime,
        String lang,
        String excerpt,
        String canonicalUrl,
        PageType pageType,
        String content,
        int wordCount,
        boolean truncated,
        List<PageLink> links) {
}
