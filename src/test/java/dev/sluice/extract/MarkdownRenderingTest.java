package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exact Markdown written for each HTML construct (the selector pins the content so the output is exact). */
class MarkdownRenderingTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private String markdown(String fragment) {
        return markdown(fragment, ExtractOptions.defaults());
    }

    private String markdown(String fragment, ExtractOptions options) {
        String html = "<html><body><div id=\"c\">" + fragment + "</div></body></html>";
        return extractor.extract(html, "https://example.com/docs/page.html", options.withSelector("#c")).content();
    }

    @Test
    void headings() {
        assertEquals("# One\n\n## Two\n\n### Three\n\n###### Six", markdown("<h1>One</h1><h2>Two</h2><h3>Three</h3><h6>Six</h6>"));
    }

    @Test
    void paragraphsAreSeparatedByBlankLinesAndWhitespaceCollapses() {
        assertEquals("First paragraph with spaces.\n\nSecond\nafter a break.",
                markdown("<p>  First   paragraph\n with   spaces. </p><p>Second<br>after a break.</p>"));
    }

    @Test
    void unorderedAndOrderedListsNest() {
        String html = "<ul><li>Apples<ul><li>Gala</li><li>Fuji</li></ul></li><li>Pears</li></ul>"
                + "<ol start=\"3\"><li>Third</li><li>Fourth<ol><li>Inner</li></ol></li></ol>";
        assertEquals("""
                - Apples
                  - Gala
                  - Fuji
                - Pears

                3. Third
                4. Fourth
                   1. Inner""", markdown(html));
    }

    @Test
    void tablesBecomePipeTables() {
        String html = "<table><thead><tr><th>Name</th><th>Price</th></tr></thead>"
                + "<tbody><tr><td>Tea</td><td>2 | 3 EUR</td></tr><tr><td><b>Coffee</b></td><td>4 EUR</td></tr></tbody></table>";
        assertEquals("""
                | Name | Price |
                | --- | --- |
                | Tea | 2 \\| 3 EUR |
                | **Coffee** | 4 EUR |""", markdown(html));
    }

    @Test
    void tableWithoutHeaderRowGetsAnEmptyHeader() {
        assertEquals("""
                | | |
                | --- | --- |
                | a | b |
                | c | d |""", markdown("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"));
    }

    @Test
    void fencedCodeBlocksKeepTheirLanguageAndWhitespace() {
        assertEquals("```python\ndef f(x):\n    return x * 2\n```",
                markdown("<pre><code class=\"language-python\">def f(x):\n    return x * 2\n</code></pre>"));
        assertEquals("```js\nlet a = 1;\n```", markdown("<pre class=\"lang-js\">let a = 1;</pre>"));
        assertEquals("```ruby\nputs 1\n```",
                markdown("<div class=\"highlight-ruby\"><div class=\"highlight\"><pre>puts 1</pre></div></div>"));
        assertEquals("```\nplain\n```", markdown("<pre>plain</pre>"));
        // A fence longer than any backtick run inside the code.
        assertEquals("````\nuse ``` here\n````", markdown("<pre>use ``` here</pre>"));
    }

    @Test
    void inlineCodeEmphasisAndStrong() {
        assertEquals("Run `make test` **now**, *please*, and ~~never~~ skip it.",
                markdown("<p>Run <code>make test</code> <strong>now</strong>, <em>please</em>, and <del>never</del> skip it.</p>"));
        assertEquals("Use ``a`b`` carefully.", markdown("<p>Use <code>a`b</code> carefully.</p>"));
        assertEquals("**bold** text", markdown("<p><b>bold </b>text</p>"));
    }

    @Test
    void linksAreAbsoluteWhenIncludedAndPlainTextOtherwise() {
        String html = "<p>See <a href=\"/guide?x=1\">the guide</a> or <a href=\"#top\">top</a>.</p>";
        assertEquals("See [the guide](https://example.com/guide?x=1) or top.", markdown(html));
        assertEquals("See the guide or top.", markdown(html, ExtractOptions.defaults().withLinks(false)));
    }

    @Test
    void imagesOnlyWhenIncluded() {
        String html = "<p>Logo: <img src=\"img/logo.png\" alt=\"Acme logo\"></p>";
        assertEquals("Logo: ![Acme logo](https://example.com/docs/img/logo.png)", markdown(html, ExtractOptions.defaults().withImages(true)));
        assertEquals("Logo:", markdown(html));
    }

    @Test
    void blockquotesAndRules() {
        assertEquals("Before\n\n---\n\n> Quoted line\n>\n> Second paragraph",
                markdown("<p>Before</p><hr><blockquote><p>Quoted line</p><p>Second paragraph</p></blockquote>"));
    }

    @Test
    void markdownSpecialCharactersAreEscaped() {
        assertEquals("2 \\* 3 = 6, \\[not a link\\], snake_case and \\_under\\_, a \\`tick\\`",
                markdown("<p>2 * 3 = 6, [not a link], snake_case and _under_, a `tick`</p>"));
        assertEquals("\\# not a heading\n\n\\- not a list\n\n1\\. not a list either\n\n\\> not a quote",
                markdown("<p># not a heading</p><p>- not a list</p><p>1. not a list either</p><p>&gt; not a quote</p>"));
        assertEquals("a \\<div> tag", markdown("<p>a &lt;div&gt; tag</p>"));
    }

    @Test
    void textFormatPutsBlocksOnTheirOwnLines() {
        String html = "<h2>Title</h2><p>Para <b>one</b>.</p><ul><li>first</li><li>second</li></ul>"
                + "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table><pre>code  here</pre>";
        assertEquals("Title\n\nPara one.\n\n- first\n- second\n\nk | v\na | 1\n\ncode  here",
                markdown(html, ExtractOptions.text()));
    }
}
