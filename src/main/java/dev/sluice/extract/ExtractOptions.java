package dev.sluice.extract;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What a caller wants out of one extraction.
 *
 * @param format           form of {@link ExtractedPage#content()}; null means Markdown
 * @param includeLinks     render links as {@code [text](absolute-url)} and fill {@link ExtractedPage#links()};
 *                         otherwise links become their text
 * @param includeImages    render images as {@code ![alt](absolute-url)}; otherwise images are dropped
 * @param maxChars         cut the content to at most this many characters at a paragraph, sentence or word
 *                         boundary; null (or not positive) means no limit
 * @param selector         CSS selector: extract only inside the elements it matches (boilerplate is still removed
 *                         inside them); null or blank means the whole page, with automatic main-content detection
 * @param excludeSelectors CSS selectors whose elements are removed before anything else; null means none
 */
@RegisterForReflection
public record ExtractOptions(
        OutputFormat format,
        boolean includeLinks,
        boolean includeImages,
        Integer maxChars,
        String selector,
        List<String> excludeSelectors) {

    public ExtractOptions {
        format = format == null ? OutputFormat.MARKDOWN : format;
        maxChars = maxChars != null && maxChars > 0 ? maxChars : null;
        selector = selector == null || selector.isBlank() ? null : selector.strip();
        excludeSelectors = excludeSelectors == null
                ? List.of()
                : excludeSelectors.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).toList();
    }

    /** Markdown with links, without images, no limit: what a chat or RAG prompt usually wants. */
    public static ExtractOptions defaults() {
        return new ExtractOptions(OutputFormat.MARKDOWN, true, false, null, null, List.of());
    }

    /** Plain text, no links or images, no limit. */
    public static ExtractOptions text() {
        return new ExtractOptions(OutputFormat.TEXT, false, false, null, null, List.of());
    }

    public ExtractOptions withFormat(OutputFormat newFormat) {
        return new ExtractOptions(newFormat, includeLinks, includeImages, maxChars, selector, excludeSelectors);
    }

    public ExtractOptions withLinks(boolean links) {
        return new ExtractOptions(format, links, includeImages, maxChars, selector, excludeSelectors);
    }

    public ExtractOptions withImages(boolean images) {
        return new ExtractOptions(format, includeLinks, images, maxChars, selector, excludeSelectors);
    }

    public ExtractOptions withMaxChars(Integer limit) {
        return new ExtractOptions(format, includeLinks, includeImages, limit, selector, excludeSelectors);
    }

    public ExtractOptions withSelector(String css) {
        return new ExtractOptions(format, includeLinks, includeImages, maxChars, css, excludeSelectors);
    }

    public ExtractOptions withExcludeSelectors(List<String> css) {
        return new ExtractOptions(format, includeLinks, includeImages, maxChars, selector, css);
    }
}
