package dev.sluice.extract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * Turns a content element into blocks of text: the walk shared by the Markdown and plain-text forms. It decides
 * what is a block (headings, paragraphs, lists, tables, code, quotes) and what flows inline, collapses HTML
 * whitespace the way a browser does, resolves links and images to absolute URLs, and collects the links it meets.
 * Subclasses say how each construct is written. One instance renders one document (it collects links), so create
 * a new one per call.
 */
abstract class BlockRenderer {

    private static final Pattern LANGUAGE_CLASS = Pattern.compile(
            "(?:^|\\s)(?:language|lang|highlight-source|highlight|brush|sourceCode)[-:_]\\s*([A-Za-z0-9_+#.-]+)");
    private static final Set<String> NOT_LANGUAGES = Set.of("none", "plaintext", "text", "nohighlight", "default",
            "highlight", "hljs", "sourcecode", "source", "code", "notranslate", "js-code", "block");
    private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");
    private static final Set<String> CODE_TAGS = Set.of("code", "kbd", "samp", "tt");

    /** The inline styles a format may mark. */
    protected enum Style {
        STRONG, EMPHASIS, STRIKETHROUGH
    }

    protected final boolean includeLinks;
    protected final boolean includeImages;
    private final Map<String, PageLink> links = new LinkedHashMap<>();
    private int preDepth;

    protected BlockRenderer(boolean includeLinks, boolean includeImages) {
        this.includeLinks = includeLinks;
        this.includeImages = includeImages;
    }

    // ---- how constructs are written (per format): by default as bare text, the plain form; a markup overrides ----

    protected String heading(int level, String text) {
        return text;
    }

    protected abstract String listItemMarker(boolean ordered, int number);

    protected String codeBlock(String code, String language) {
        return code;
    }

    protected String quote(String inner) {
        return inner;
    }

    /** Null when the format has no rule. */
    protected String horizontalRule() {
        return null;
    }

    protected abstract String table(List<List<String>> rows, boolean firstRowIsHeader);

    protected String escapeText(String text) {
        return text;
    }

    /** Escapes what would start a block construct at the beginning of a paragraph line. */
    protected String escapeLineStart(String line) {
        return line;
    }

    /** Inline text marked bold, italic or struck through. */
    protected String styled(Style style, String inner) {
        return inner;
    }

    protected String inlineCode(String code) {
        return code;
    }

    /** The link's text; where the URL goes is the format's (links are collected either way). */
    protected String link(String text, String url) {
        return text;
    }

    /** Nothing: an image has no text form. */
    protected String image(String alt, String url) {
        return "";
    }

    // ---- the walk ----

    final String render(Element root) {
        List<String> blocks = new ArrayList<>();
        renderChildren(root, blocks);
        return String.join("\n\n", blocks);
    }

    final List<PageLink> links() {
        return List.copyOf(links.values());
    }

    private void renderChildren(Element parent, List<String> out) {
        StringBuilder inline = new StringBuilder();
        for (Node child : parent.childNodes()) {
            if (child instanceof Element e && isBlock(e)) {
                flushParagraph(inline, out);
                renderBlock(e, out);
            } else {
                appendInline(child, inline);
            }
        }
        flushParagraph(inline, out);
    }

    private static boolean isBlock(Element e) {
        return !TextStats.INLINE_TAGS.contains(e.normalName()) || (e.nameIs("span") || e.nameIs("a")) && hasBlockChild(e);
    }

    private static boolean hasBlockChild(Element e) {
        for (Element c : e.children()) {
            if (!TextStats.INLINE_TAGS.contains(c.normalName()) || hasBlockChild(c)) {
                return true;
            }
        }
        return false;
    }

    private void flushParagraph(StringBuilder inline, List<String> out) {
        if (inline.isEmpty()) {
            return;
        }
        String paragraph = normaliseParagraph(inline.toString());
        inline.setLength(0);
        if (!paragraph.isEmpty()) {
            out.add(paragraph);
        }
    }

    private String normaliseParagraph(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String line : raw.split("\n")) {
            String l = collapse(line).strip();
            if (!l.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(escapeLineStart(l));
            }
        }
        return sb.toString();
    }

    private void renderBlock(Element e, List<String> out) {
        String tag = e.normalName();
        if (HEADINGS.contains(tag)) {
            String text = inlineText(e).replace('\n', ' ').strip();
            if (!text.isEmpty()) {
                out.add(heading(tag.charAt(1) - '0', text));
            }
            return;
        }
        switch (tag) {
            case "ul", "ol", "menu" -> {
                String list = list(e, tag.equals("ol"));
                if (!list.isEmpty()) {
                    out.add(list);
                }
            }
            case "pre" -> {
                String code = preformatted(e);
                if (!code.isBlank()) {
                    out.add(codeBlock(code, codeLanguage(e)));
                }
            }
            case "blockquote" -> {
                List<String> inner = new ArrayList<>();
                renderChildren(e, inner);
                if (!inner.isEmpty()) {
                    out.add(quote(String.join("\n\n", inner)));
                }
            }
            case "table" -> renderTable(e, out);
            case "hr" -> {
                String rule = horizontalRule();
                if (rule != null && !out.isEmpty()) {
                    out.add(rule);
                }
            }
            case "img" -> {
                StringBuilder sb = new StringBuilder();
                appendInline(e, sb);
                flushParagraph(sb, out);
            }
            default -> renderChildren(e, out);
        }
    }

    // ---- lists ----

    private String list(Element listElement, boolean ordered) {
        int number = 1;
        if (ordered && listElement.hasAttr("start")) {
            try {
                number = Integer.parseInt(listElement.attr("start").strip());
            } catch (NumberFormatException ignored) {
                number = 1;
            }
        }
        List<String> items = new ArrayList<>();
        for (Element child : listElement.children()) {
            List<String> blocks = new ArrayList<>();
            if (child.nameIs("li")) {
                renderChildren(child, blocks);
            } else {
                renderBlock(child, blocks);
            }
            String content = String.join("\n", blocks);
            if (content.isBlank()) {
                continue;
            }
            boolean nestedListOnly = !child.nameIs("li") && (child.nameIs("ul") || child.nameIs("ol"));
            if (nestedListOnly && !items.isEmpty()) {
                // <ul><li>a</li><ul>...</ul></ul>: invalid but common; nest under the previous item.
                int last = items.size() - 1;
                items.set(last, items.get(last) + "\n" + indent(content, "  "));
                continue;
            }
            String marker = listItemMarker(ordered, number++);
            items.add(marker + indent(content, " ".repeat(marker.length())).substring(marker.length()));
        }
        return String.join("\n", items);
    }

    private static String indent(String text, String pad) {
        StringBuilder sb = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            if (!lines[i].isEmpty()) {
                sb.append(pad).append(lines[i]);
            }
        }
        return sb.toString();
    }

    // ---- tables ----

    private void renderTable(Element table, List<String> out) {
        List<Element> rows = new ArrayList<>();
        for (Element child : table.children()) {
            if (child.nameIs("tr")) {
                rows.add(child);
            } else if (child.nameIs("thead") || child.nameIs("tbody") || child.nameIs("tfoot")) {
                for (Element tr : child.children()) {
                    if (tr.nameIs("tr")) {
                        rows.add(tr);
                    }
                }
            }
        }
        Element caption = table.selectFirst("> caption");
        if (isLayoutTable(table, rows)) {
            // A table used for page layout: its cells are ordinary blocks.
            for (Element row : rows) {
                for (Element cell : row.children()) {
                    renderChildren(cell, out);
                }
            }
            return;
        }
        if (caption != null) {
            String c = normaliseParagraph(inlineText(caption));
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        List<List<String>> cells = new ArrayList<>();
        boolean header = false;
        for (Element row : rows) {
            List<String> line = new ArrayList<>();
            boolean allTh = true;
            for (Element cell : row.children()) {
                if (!cell.nameIs("td") && !cell.nameIs("th")) {
                    continue;
                }
                allTh &= cell.nameIs("th");
                String text = collapse(cellText(cell)).strip();
                line.add(text);
                int span = parseSpan(cell.attr("colspan"));
                for (int i = 1; i < span; i++) {
                    line.add("");
                }
            }
            if (line.stream().allMatch(String::isEmpty)) {
                continue;
            }
            if (cells.isEmpty()) {
                header = allTh && !line.isEmpty();
            }
            cells.add(line);
        }
        if (!cells.isEmpty()) {
            out.add(table(cells, header));
        }
    }

    private String cellText(Element cell) {
        List<String> blocks = new ArrayList<>();
        renderChildren(cell, blocks);
        return String.join(" ", blocks).replace('\n', ' ');
    }

    private static int parseSpan(String span) {
        try {
            return span.isBlank() ? 1 : Math.max(1, Math.min(50, Integer.parseInt(span.strip())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static boolean isLayoutTable(Element table, List<Element> rows) {
        if (rows.isEmpty() || "presentation".equals(table.attr("role")) || table.selectFirst("table table") != null
                || !table.getElementsByTag("table").get(0).equals(table) || table.getElementsByTag("table").size() > 1) {
            return true;
        }
        int maxCells = 0;
        for (Element row : rows) {
            maxCells = Math.max(maxCells, row.childrenSize());
        }
        if (maxCells <= 1) {
            return true;
        }
        // Cells holding whole sections (headings, several paragraphs, lists) mean layout, not data.
        return table.selectFirst("td h1, td h2, td h3, td ul ul, td blockquote, td pre") != null
                || table.select("td p").size() > 2 * rows.size() + 2;
    }

    // ---- code ----

    private static String preformatted(Element pre) {
        StringBuilder sb = new StringBuilder();
        appendPreformatted(pre, sb);
        String s = sb.toString();
        // Drop the leading newline HTML ignores after <pre>, and trailing blank lines.
        if (s.startsWith("\n")) {
            s = s.substring(1);
        }
        return s.replaceAll("\\s+$", "");
    }

    private static void appendPreformatted(Node node, StringBuilder sb) {
        for (Node child : node.childNodes()) {
            if (child instanceof TextNode t) {
                sb.append(t.getWholeText().replace('\u00a0', ' '));
            } else if (child instanceof Element e) {
                if (e.nameIs("br")) {
                    sb.append('\n');
                    continue;
                }
                boolean lineBlock = !TextStats.INLINE_TAGS.contains(e.normalName());
                if (lineBlock && !sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') {
                    sb.append('\n');
                }
                appendPreformatted(e, sb);
                if (lineBlock && !sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') {
                    sb.append('\n');
                }
            }
        }
    }

    static String codeLanguage(Element pre) {
        List<Element> candidates = new ArrayList<>();
        candidates.add(pre);
        Element code = pre.selectFirst("code");
        if (code != null) {
            candidates.add(code);
        }
        Element p = pre.parent();
        for (int i = 0; i < 2 && p != null; i++, p = p.parent()) {
            candidates.add(p);
        }
        for (Element e : candidates) {
            for (String attr : List.of("data-lang", "data-language")) {
                String v = e.attr(attr).strip().toLowerCase(Locale.ROOT);
                if (!v.isEmpty() && !NOT_LANGUAGES.contains(v)) {
                    return v;
                }
            }
            Matcher m = LANGUAGE_CLASS.matcher(e.className());
            while (m.find()) {
                String lang = m.group(1).toLowerCase(Locale.ROOT);
                if (!NOT_LANGUAGES.contains(lang)) {
                    return lang;
                }
            }
        }
        return "";
    }

    // ---- inline ----

    private String inlineText(Element e) {
        StringBuilder sb = new StringBuilder();
        for (Node child : e.childNodes()) {
            appendInline(child, sb);
        }
        return sb.toString();
    }

    private void appendInline(Node node, StringBuilder sb) {
        if (node instanceof TextNode t) {
            String text = t.getWholeText();
            if (!text.isEmpty()) {
                sb.append(escapeText(collapse(text)));
            }
            return;
        }
        if (!(node instanceof Element e)) {
            return;
        }
        String tag = e.normalName();
        switch (tag) {
            case "br" -> sb.append('\n');
            case "img" -> appendImage(e, sb);
            case "a" -> appendLink(e, sb);
            case "strong", "b" -> wrap(e, sb, inner -> styled(Style.STRONG, inner));
            case "em", "i", "cite", "dfn" -> wrap(e, sb, inner -> styled(Style.EMPHASIS, inner));
            case "del", "s", "strike" -> wrap(e, sb, inner -> styled(Style.STRIKETHROUGH, inner));
            case "code", "kbd", "samp", "tt" -> {
                String code = collapse(e.wholeText());
                if (!code.isBlank()) {
                    sb.append(inlineCode(code.strip()));
                }
            }
            case "pre" -> {
                String code = preformatted(e);
                if (!code.isBlank()) {
                    sb.append(inlineCode(collapse(code).strip()));
                }
            }
            default -> {
                boolean block = !TextStats.INLINE_TAGS.contains(tag);
                if (block) {
                    sb.append(' ');
                }
                for (Node child : e.childNodes()) {
                    appendInline(child, sb);
                }
                if (block) {
                    sb.append(' ');
                }
            }
        }
    }

    private void wrap(Element e, StringBuilder sb, java.util.function.UnaryOperator<String> style) {
        String inner = inlineText(e);
        String trimmed = collapse(inner).strip();
        if (trimmed.isEmpty()) {
            sb.append(inner.isEmpty() ? "" : " ");
            return;
        }
        // Markers must touch the text ("**bold** text", not "** bold **"), so whitespace moves outside them.
        if (Character.isWhitespace(inner.charAt(0))) {
            sb.append(' ');
        }
        if (trimmed.contains("\n")) {
            sb.append(trimmed);
        } else {
            sb.append(style.apply(trimmed));
        }
        if (Character.isWhitespace(inner.charAt(inner.length() - 1))) {
            sb.append(' ');
        }
    }

    private void appendLink(Element a, StringBuilder sb) {
        String inner = inlineText(a);
        String text = collapse(inner).strip();
        String url = absoluteUrl(a, "href");
        boolean usable = url != null && !url.startsWith("javascript:") && !isSamePageAnchor(a);
        if (usable && includeLinks && !text.isEmpty()) {
            links.putIfAbsent(url, new PageLink(plainLinkText(a), url));
            if (Character.isWhitespace(inner.charAt(0))) {
                sb.append(' ');
            }
            sb.append(link(text.replace('\n', ' '), url));
            if (Character.isWhitespace(inner.charAt(inner.length() - 1))) {
                sb.append(' ');
            }
        } else {
            sb.append(inner);
        }
    }

    private static String plainLinkText(Element a) {
        String t = collapse(a.text()).strip();
        if (t.isEmpty()) {
            Element img = a.selectFirst("img[alt]");
            t = img == null ? "" : img.attr("alt").strip();
        }
        return t;
    }

    private static boolean isSamePageAnchor(Element a) {
        return a.attr("href").strip().startsWith("#");
    }

    private void appendImage(Element img, StringBuilder sb) {
        if (!includeImages) {
            return;
        }
        String url = absoluteUrl(img, "src");
        if (url == null || url.startsWith("data:")) {
            url = absoluteUrl(img, "data-src");
        }
        if (url == null || url.startsWith("data:")) {
            return;
        }
        String alt = collapse(img.attr("alt")).strip();
        sb.append(image(alt, url));
    }

    static String absoluteUrl(Element e, String attr) {
        String raw = e.attr(attr).strip();
        if (raw.isEmpty()) {
            return null;
        }
        String abs = e.absUrl(attr);
        return abs.isEmpty() ? raw : abs;
    }

    /**
     * Every run of whitespace (a regular expression's {@code \\s}, and no-break spaces) as one space. A loop, not
     * a regular expression: it runs on every text of every page, and most texts need no change at all.
     */
    static String collapse(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (isCollapsible(c) && (c != ' ' || i + 1 < n && isCollapsible(s.charAt(i + 1)))) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n);
        sb.append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (isCollapsible(c)) {
                sb.append(' ');
                while (i < n && isCollapsible(s.charAt(i))) {
                    i++;
                }
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    private static boolean isCollapsible(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u00a0';
    }
}
