package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Title, author, date, site name, language, description and canonical URL from where publishers put them. */
class MetadataTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private static final String BODY = "<main><article><h1>Headline</h1><p>Some body text that is long enough to be"
            + " a paragraph of an article about metadata extraction.</p></article></main>";

    private ExtractedPage extract(String head, String body) {
        return extractor.extract("<html lang=\"en-GB\"><head>" + head + "</head><body>" + body + "</body></html>",
                "https://news.example.com/2025/03/story?utm=1", ExtractOptions.defaults());
    }

    @Test
    void openGraphAndArticleMetaTags() {
        ExtractedPage page = extract("""
                <title>Headline | Example News</title>
                <meta property="og:title" content="Headline">
                <meta property="og:site_name" content="Example News">
                <meta name="author" content="Jane Doe">
                <meta property="article:published_time" content="2025-03-04T10:15:00+01:00">
                <meta name="description" content="A short summary of the story.">
                <link rel="canonical" href="/2025/03/story">
                """, BODY);
        assertEquals("Headline", page.title());
        assertEquals("Example News", page.siteName());
        assertEquals("Jane Doe", page.byline());
        assertEquals("2025-03-04T10:15:00+01:00", page.publishedTime());
        assertEquals("en-GB", page.lang());
        assertEquals("A short summary of the story.", page.excerpt());
        assertEquals("https://news.example.com/2025/03/story", page.canonicalUrl());
    }

    @Test
    void jsonLdArticleInAGraph() {
        ExtractedPage page = extract("""
                <title>Ignored when JSON-LD has a headline - Example</title>
                <script type="application/ld+json">
                {"@context":"https://schema.org","@graph":[
                  {"@type":"WebSite","name":"Example Site"},
                  {"@type":"NewsArticle","headline":"The JSON-LD headline","datePublished":"2024-11-30",
                   "author":[{"@type":"Person","name":"Ann Author"},{"@type":"Person","name":"Bo Writer"}],
                   "publisher":{"@type":"Organization","name":"Example Publisher"},
                   "description":"Structured summary.",}
                ]}
                </script>
                """, BODY);
        assertEquals("The JSON-LD headline", page.title());
        assertEquals("Ann Author, Bo Writer", page.byline());
        assertEquals("2024-11-30", page.publishedTime());
        assertEquals("Example Publisher", page.siteName());
        assertEquals("Structured summary.", page.excerpt());
        assertEquals(PageType.ARTICLE, page.pageType());
    }

    @Test
    void visibleBylineTimeElementAndTitleTagAsFallbacks() {
        ExtractedPage page = extract("<title>Plain title</title>", """
                <main><article><h1>Plain title</h1>
                <p>By <a rel="author" href="/authors/sam">Sam Smith</a>, <time datetime="2023-07-01T08:00:00Z">July 1</time></p>
                <p>Body text of the article, long enough to be the main content of this small fixture page.</p>
                </article></main>""");
        assertEquals("Plain title", page.title());
        assertEquals("Sam Smith", page.byline());
        assertEquals("2023-07-01T08:00:00Z", page.publishedTime());
        assertNull(page.siteName());
        assertEquals("https://news.example.com/2025/03/story?utm=1", page.canonicalUrl());
        assertEquals("Body text of the article, long enough to be the main content of this small fixture page.",
                page.excerpt());
    }

    @Test
    void unparseableDatesAreReturnedAsWritten() {
        ExtractedPage page = extract("<meta name=\"date\" content=\"sometime in spring\">", BODY);
        assertEquals("sometime in spring", page.publishedTime());
        assertEquals("2025-01-02T03:04:05", MetadataReader.normaliseDate("2025-01-02 03:04:05 +0000"));
    }

    @Test
    void wordCountAndLinksList() {
        ExtractedPage page = extractor.extract("""
                <html><body><main><article>
                <p>Read <a href="/a">the first</a> and <a href="https://other.org/b">the second</a> and <a href="/a">again</a>.</p>
                <p>Four more words here.</p></article></main></body></html>""",
                "https://site.example/x/", ExtractOptions.defaults());
        assertEquals(12, page.wordCount());
        assertEquals(2, page.links().size());
        assertEquals(new PageLink("the first", "https://site.example/a"), page.links().get(0));
        assertEquals(new PageLink("the second", "https://other.org/b"), page.links().get(1));
    }

    @Test
    void charsetComesFromBomThenHeaderThenMetaThenUtf8() {
        byte[] latin1 = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>café</p></body></html>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Charset.forName("windows-1252"), HtmlCharset.detect(latin1, null));
        assertEquals(StandardCharsets.UTF_8, HtmlCharset.detect(latin1, "text/html; charset=UTF-8"));
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'};
        assertEquals(StandardCharsets.UTF_8, HtmlCharset.detect(bom, "text/html; charset=iso-8859-1"));
        assertEquals(StandardCharsets.UTF_8, HtmlCharset.detect("<p>x</p>".getBytes(StandardCharsets.US_ASCII), null));

        ExtractedPage page = extractor.extract(latin1, (String) null, "https://example.com/", ExtractOptions.text());
        assertEquals("café", page.content());
    }
}
