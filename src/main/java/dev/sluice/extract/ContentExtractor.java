package dev.sluice.extract;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.io.FilterReader;
import java.io.Reader;
import java.io.StringReader;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.select.Elements;

/**
 * Extracts the main content of an HTML page, with its metadata, as Markdown, plain text or cleaned HTML.
 *
 * <p>The steps: parse; read metadata (head, JSON-LD) before anything is removed; guess the page type; remove the
 * caller's excluded elements and everything invisible; then either take the caller's selector as the content, or
 * remove page furniture and find the main content automatically; fall back to the page's structured data when the
 * visible content is thin (product pages that render from JavaScript); render; cut to {@code maxChars}.
 *
 * <p>Stateless and thread-safe: one instance can serve every thread. Parsing is CPU work, so call it from a worker
 * thread, never from an event loop. It never fetches anything. Not final only so that tests can observe where
 * and when the application calls it.
 */
public class ContentExtractor {

    /** Visible content with fewer words than this is thin enough to prefer the page's structured data. */
    private static final int THIN_CONTENT_WORDS = 60;
    private static final int EXCERPT_CHARS = 300;
    /**
     * A page showing fewer words than this is an empty script shell; only then is {@code <noscript>} content read.
     * Kept low on purpose: noscript text next to real visible content is a place to hide text from readers.
     */
    private static final int EMPTY_CONTENT_WORDS = 15;

    private final MetadataReader metadataReader = new MetadataReader();
    private final PageTypeGuesser pageTypeGuesser = new PageTypeGuesser();
    private final BoilerplateCleaner cleaner = new BoilerplateCleaner();
    private final MainContentFinder finder = new MainContentFinder();
    private final HtmlRenderer htmlRenderer = new HtmlRenderer();
    private final PdfReader pdfReader = new PdfReader();

    /**
     * @param html    the page's HTML (null is treated as empty)
     * @param baseUrl the page's URL, to make links absolute and to help guess the page type; may be null
     * @param options what to extract and how to render it; null means {@link ExtractOptions#defaults()}
     * @throws IllegalArgumentException when {@code selector} or an exclude selector is not valid CSS
     */
    public ExtractedPage extract(String html, String baseUrl, ExtractOptions options) {
        ExtractOptions opts = options == null ? ExtractOptions.defaults() : options;
        String source = html == null ? "" : html;
        Document doc = parse(source, baseUrl);
        PageMetadata meta = metadataReader.read(doc, baseUrl);
        PageType type = pageTypeGuesser.guess(meta, baseUrl, doc.body());
        Deadline.checkCurrent();
        boolean hasNoscript = !doc.body().getElementsByTag("noscript").isEmpty();

        Element content = mainContent(doc, meta, type, opts, false);
        if (hasNoscript && opts.selector() == null && wordCount(content.text()) < EMPTY_CONTENT_WORDS) {
            // Script-rendered pages often put their server-rendered content in <noscript>; what a browser without
            // scripting shows is what there is to read. Only used when the scripted page shows next to nothing.
            Document again = parse(source, baseUrl);
            Element fallback = mainContent(again, meta, type, opts, true);
            if (wordCount(fallback.text()) > wordCount(content.text())) {
                doc = again;
                content = fallback;
            }
        }

        if (opts.selector() == null && meta.structuredBody() != null && wordCount(content.text()) < THIN_CONTENT_WORDS
                && wordCount(meta.structuredBody()) > wordCount(content.text())) {
            // Thin visible content (a shop rendered by JavaScript): the page's structured data says more.
            content = structuredContent(doc, meta.structuredBody());
        }
        if (opts.selector() == null) {
            type = pageTypeGuesser.refine(type, meta, baseUrl, content);
        }

        Deadline.checkCurrent();
        Rendering rendering = render(content, opts);
        Deadline.checkCurrent();
        String text = rendering.content();
        boolean truncated = false;
        if (opts.maxChars() != null && text.length() > opts.maxChars()) {
            text = Truncator.cut(text, opts.maxChars(), opts.format());
            truncated = true;
        }
        String excerpt = meta.description() != null ? Truncator.cutText(meta.description(), EXCERPT_CHARS)
                : firstParagraph(content);
        return new ExtractedPage(meta.title(), meta.byline(), meta.siteName(), meta.publishedTime(), meta.lang(),
                excerpt, meta.canonicalUrl(), type, text, wordCount(rendering.plainText()), truncated,
                rendering.links());
    }

    /** The content in the requested format, its plain text (for counting words) and its links. */
    private record Rendering(String content, String plainText, List<PageLink> links) {
    }

    private Rendering render(Element content, ExtractOptions opts) {
        if (opts.format() == OutputFormat.HTML) {
            // The block walk still runs when links are wanted: it is what resolves and collects them.
            List<PageLink> links = opts.includeLinks() ? collectLinks(content) : List.of();
            return new Rendering(htmlRenderer.render(content, opts.includeLinks(), opts.includeImages()),
                    content.text(), links);
        }
        BlockRenderer blocks = opts.format() == OutputFormat.MARKDOWN
                ? new MarkdownRenderer(opts.includeLinks(), opts.includeImages())
                : new TextRenderer(opts.includeLinks(), opts.includeImages());
        String rendered = blocks.render(content);
        String plain = opts.format() == OutputFormat.TEXT ? rendered : content.text();
        return new Rendering(rendered, plain, opts.includeLinks() ? blocks.links() : List.of());
    }

    private static List<PageLink> collectLinks(Element content) {
        BlockRenderer walker = new TextRenderer(true, false);
        walker.render(content);
        return walker.links();
    }

    private Element mainContent(Document doc, PageMetadata meta, PageType type, ExtractOptions opts, boolean noscript) {
        Element body = doc.body();
        for (String css : opts.excludeSelectors()) {
            select(body, css).remove();
        }
        if (opts.selector() == null && !opts.includeImages()) {
            dropImageCaptions(body);
        }
        if (opts.selector() == null) {
            SignupBoxes.remove(body);
        }
        Deadline.checkCurrent();
        cleaner.removeInvisible(body, noscript);
        Deadline.checkCurrent();
        if (opts.selector() != null) {
            return selected(doc, body, opts.selector());
        }
        cleaner.removeBoilerplate(body, type);
        Deadline.checkCurrent();
        Element content = finder.find(body, type, pageTypeGuesser.declaresArticle(meta, doc.location()));
        dropLeadingTitle(content, meta.title());
        return content;
    }

    /**
     * Decodes {@code bytes} with the charset the byte-order mark, the Content-Type header or the page's own meta
     * declaration names (UTF-8 when none does), then extracts.
     */
    public ExtractedPage extract(byte[] bytes, String contentType, String baseUrl, ExtractOptions options) {
        return extract(HtmlCharset.decode(bytes == null ? new byte[0] : bytes, contentType), baseUrl, options);
    }

    /**
     * Extracts a PDF: its text with headings (from the outline or font sizes) and its title, author and date, in
     * the requested format. Reading stops at {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @throws dev.sluice.fetch.FetchException when the PDF is encrypted, has no text layer, is damaged,
     *                                                 or runs past the deadline
     */
    public ExtractedPage extractPdf(byte[] pdf, String baseUrl, ExtractOptions options, long deadlineNanos,
                                    long budgetMillis) {
        Document html = pdfReader.toHtml(pdf == null ? new byte[0] : pdf, baseUrl, deadlineNanos, budgetMillis);
        return extract(html.outerHtml(), baseUrl, options);
    }

    /** Decodes {@code bytes} with a charset the caller already knows, then extracts. */
    public ExtractedPage extract(byte[] bytes, Charset charset, String baseUrl, ExtractOptions options) {
        return extract(new String(bytes == null ? new byte[0] : bytes, charset), baseUrl, options);
    }

    /** The caller's selector's matches (see {@link SelectorRule}: bounded grammar, deadline checked). */
    private static Elements select(Element root, String css) {
        return SelectorRule.select(root, css);
    }

    /**
     * The HTML parsed, reading it through a {@link Deadline} check: the parser asks for the next characters in
     * chunks, so an extraction past its deadline stops while parsing too.
     */
    private static Document parse(String html, String baseUrl) {
        Reader checked = new FilterReader(new StringReader(html)) {
            @Override
            public int read(char[] buffer, int offset, int length) throws java.io.IOException {
                Deadline.checkCurrent();
                return super.read(buffer, offset, length);
            }
        };
        return Parser.htmlParser().parseInput(checked, baseUrl == null ? "" : baseUrl);
    }

    /**
     * The caller's selection: one element, or several gathered under a wrapper in page order; a match inside
     * another match is part of it already. Linear in matches times depth (an identity set of the matches), never
     * quadratic in matches: {@code *} matches every element of a large page.
     */
    private static Element selected(Document doc, Element body, String css) {
        Elements matches = select(body, css);
        Set<Element> matched = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        matched.addAll(matches);
        Element wrapper = doc.createElement("div");
        for (Element match : matches) {
            Deadline.checkCurrent();
            boolean nested = false;
            for (Element parent = match.parent(); parent != null && !nested; parent = parent.parent()) {
                nested = matched.contains(parent);
            }
            if (!nested) {
                wrapper.appendChild(match.clone());
            }
        }
        return wrapper;
    }

    /** A caption describes its picture; without the picture (images not wanted) it is a stray line or a credit. */
    private static void dropImageCaptions(Element body) {
        for (Element caption : body.getElementsByTag("figcaption")) {
            Element figure = caption.parent();
            if (figure != null && !figure.select("img, picture, video, svg, iframe").isEmpty()) {
                caption.remove();
            }
        }
    }

    /** The title is returned on its own; repeating it as the first line of the content adds nothing. */
    private static void dropLeadingTitle(Element content, String title) {
        if (title == null) {
            return;
        }
        Element h1 = content.selectFirst("h1");
        if (h1 == null) {
            return;
        }
        String heading = normalise(h1.text());
        String t = normalise(title);
        if (!heading.isEmpty() && (t.equals(heading) || t.startsWith(heading) || heading.startsWith(t))) {
            h1.remove();
        }
    }

    private static Element structuredContent(Document doc, String paragraphs) {
        Element wrapper = doc.createElement("div");
        for (String paragraph : paragraphs.split("\n\n")) {
            wrapper.appendElement("p").text(paragraph);
        }
        return wrapper;
    }

    private static String firstParagraph(Element content) {
        for (Element p : content.getElementsByTag("p")) {
            String text = p.text().strip();
            if (text.length() >= 40) {
                return text.length() <= EXCERPT_CHARS ? text : Truncator.cutText(text, EXCERPT_CHARS);
            }
        }
        return null;
    }

    static int wordCount(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            boolean wordChar = Character.isLetterOrDigit(text.charAt(i));
            if (wordChar && !inWord) {
                words++;
            }
            inWord = wordChar;
        }
        return words;
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}
