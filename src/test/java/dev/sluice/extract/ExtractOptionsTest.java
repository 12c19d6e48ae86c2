package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every option changes what the caller gets back. */
class ExtractOptionsTest {

    private static final String PAGE = Pages.page("<title>Guide</title>", """
            <main><article>
              <h1>Guide</h1>
              <p>Start with the <a href="/install">installation guide</a> before anything else; it takes five minutes.</p>
              <div class="callout"><p>Tip: keep your configuration in version control so changes can be reviewed.</p></div>
              <figure><img src="/img/diagram.png" alt="Architecture diagram"><figcaption>How the parts fit together.</figcaption></figure>
              <p>Then read the tutorial, which builds a small service step by step and explains every command.</p>
              <pre><code class="language-sh">acme init
            acme run --port 8080</code></pre>
              <p>Finally deploy it. The deployment chapter covers containers, virtual machines and bare metal hosts.</p>
            </article></main>
            """);
    private static final String URL = "https://docs.example.com/guide/";

    private final ContentExtractor extractor = new ContentExtractor();

    @Test
    void selectorLimitsExtractionToTheSelectedElements() {
        ExtractedPage page = extractor.extract(PAGE, URL, ExtractOptions.text().withSelector(".callout, figcaption"));
        assertEquals("Tip: keep your configuration in version control so changes can be reviewed.\n\n"
                + "How the parts fit together.", page.content());
    }

    @Test
    void selectorMatchingNothingGivesEmptyContent() {
        assertEquals("", extractor.extract(PAGE, URL, ExtractOptions.text().withSelector("#missing")).content());
    }

    @Test
    void excludeSelectorsRemoveElementsFirst() {
        ExtractedPage page = extractor.extract(PAGE, URL,
                ExtractOptions.text().withExcludeSelectors(List.of(".callout", "pre")));
        assertFalse(page.content().contains("Tip: keep your configuration"));
        assertFalse(page.content().contains("acme init"));
        assertTrue(page.content().contains("Then read the tutorial"));
    }

    @Test
    void invalidSelectorIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> extractor.extract(PAGE, URL, ExtractOptions.text().withSelector("div[[")));
    }

    @Test
    void maxCharsCutsAtAParagraphBoundary() {
        ExtractedPage full = extractor.extract(PAGE, URL, ExtractOptions.text());
        ExtractedPage cut = extractor.extract(PAGE, URL, ExtractOptions.text().withMaxChars(175));
        assertTrue(cut.truncated());
        assertFalse(full.truncated());
        assertTrue(cut.content().length() <= 175);
        assertTrue(full.content().startsWith(cut.content()));
        assertTrue(cut.content().endsWith("changes can be reviewed."), cut.content());
        assertEquals(full.wordCount(), cut.wordCount());
    }

    @Test
    void maxCharsKeepsAMarkdownCodeFenceClosed() {
        ExtractedPage full = extractor.extract(PAGE, URL, ExtractOptions.defaults());
        int insideFence = full.content().indexOf("acme run") + 4;
        ExtractedPage cut = extractor.extract(PAGE, URL, ExtractOptions.defaults().withMaxChars(insideFence));
        assertTrue(cut.content().length() <= insideFence);
        long fences = cut.content().lines().filter(l -> l.startsWith("```")).count();
        assertEquals(0, fences % 2, cut.content());
    }

    @Test
    void maxCharsOnHtmlKeepsTagsBalanced() {
        ExtractedPage cut = extractor.extract(PAGE, URL,
                ExtractOptions.defaults().withFormat(OutputFormat.HTML).withMaxChars(150));
        assertTrue(cut.content().length() <= 150, cut.content());
        assertEquals(count(cut.content(), "<p>"), count(cut.content(), "</p>"), cut.content());
    }

    @Test
    void includeLinksAndImages() {
        ExtractedPage plain = extractor.extract(PAGE, URL, ExtractOptions.defaults().withLinks(false));
        assertTrue(plain.content().contains("Start with the installation guide before"));
        assertTrue(plain.links().isEmpty());
        assertFalse(plain.content().contains("!["));

        ExtractedPage rich = extractor.extract(PAGE, URL, ExtractOptions.defaults().withImages(true));
        assertTrue(rich.content().contains("[installation guide](https://docs.example.com/install)"));
        assertTrue(rich.content().contains("![Architecture diagram](https://docs.example.com/img/diagram.png)"));
        assertEquals(List.of(new PageLink("installation guide", "https://docs.example.com/install")), rich.links());
    }

    @Test
    void htmlFormatIsCleanedMainContent() {
        String html = extractor.extract(PAGE, URL, ExtractOptions.defaults().withFormat(OutputFormat.HTML)).content();
        assertTrue(html.contains("<a href=\"https://docs.example.com/install\">installation guide</a>"), html);
        assertTrue(html.contains("<code class=\"language-sh\">"), html);
        assertFalse(html.contains("class=\"callout\""));
        assertFalse(html.contains("<img"));
        assertFalse(html.contains("Privacy policy"));
    }

    @Test
    void nullInputsAreTolerated() {
        ExtractedPage page = extractor.extract((String) null, null, null);
        assertEquals("", page.content());
        assertEquals(0, page.wordCount());
        ExtractOptions options = new ExtractOptions(null, false, false, -5, " ", null);
        assertEquals(OutputFormat.MARKDOWN, options.format());
        assertEquals(null, options.maxChars());
        assertEquals(null, options.selector());
        assertEquals(List.of(), options.excludeSelectors());
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
