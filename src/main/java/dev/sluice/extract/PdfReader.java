package dev.sluice.extract;

import dev.sluice.fetch.FetchException;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineNode;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns a PDF into a small semantic HTML document, so that a PDF goes through the same rendering (Markdown, text,
 * HTML, {@code max_chars}) and the same retrieval as any web page.
 *
 * <p>Text comes from Apache PDFBox, line by line with the size of its font. Headings are the lines the document's
 * outline (bookmarks) names; without an outline, lines set clearly larger than the body text (the most common
 * size), one level per distinct size. Title, author and date come from the document information. Documents that
 * need a password or forbid text extraction, and documents without a text layer (scans), are refused with their
 * own error codes rather than answered with empty content.
 */
final class PdfReader {

    /** A line at least this much larger than the body text is a heading. */
    private static final float HEADING_SCALE = 1.15f;
    /** Headings are short; a longer line set large is a pull quote or a title page blurb. */
    private static final int MAX_HEADING_CHARS = 150;
    /** Fewer visible characters than this per page on average: a scan without a text layer. */
    private static final int MIN_TEXT_PER_PAGE = 20;
    private static final int MAX_HEADING_LEVELS = 4;

    /**
     * @param deadlineNanos {@link System#nanoTime()} after which reading stops with {@code fetch_timeout}
     * @throws FetchException {@code pdf_encrypted}, {@code pdf_without_text}, {@code pdf_unreadable} or
     *                        {@code fetch_timeout}
     */
    Document toHtml(byte[] pdf, String baseUrl, long deadlineNanos, long budgetMillis) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            if (doc.isEncrypted() && !doc.getCurrentAccessPermission().canExtractContent()) {
                throw FetchException.pdfEncrypted();
            }
            Lines lines = new Lines(deadlineNanos, budgetMillis);
            lines.setSortByPosition(true);
            lines.getText(doc);
            int visible = 0;
            for (Line l : lines.lines) {
                visible += TextStats.countVisible(l.text);
            }
            if (visible < MIN_TEXT_PER_PAGE * Math.max(1, doc.getNumberOfPages())) {
                throw FetchException.pdfWithoutText();
            }
            return build(doc, lines.lines, outline(doc), baseUrl);
        } catch (InvalidPasswordException e) {
            throw FetchException.pdfEncrypted();
        } catch (IOException e) {
            throw FetchException.pdfUnreadable();
        }
    }

    /** One line of text with the largest font size on it and whether it starts a paragraph. */
    private record Line(String text, float size, boolean paragraphStart) {
    }

    /** PDFBox's stripper, recording lines instead of writing text, and keeping to the deadline page by page. */
    private static final class Lines extends PDFTextStripper {
        private final long deadlineNanos;
        private final long budgetMillis;
        private final List<Line> lines = new ArrayList<>();
        private boolean paragraphStart = true;

        Lines(long deadlineNanos, long budgetMillis) {
            this.deadlineNanos = deadlineNanos;
            this.budgetMillis = budgetMillis;
        }

        @Override
        protected void startPage(PDPage page) throws IOException {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw FetchException.timeout(budgetMillis);
            }
            paragraphStart = true;
            super.startPage(page);
        }

        @Override
        protected void writeParagraphStart() {
            paragraphStart = true;
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) {
            if (text.isBlank()) {
                return;
            }
            float size = 0;
            for (TextPosition p : positions) {
                size = Math.max(size, p.getFontSizeInPt());
            }
            lines.add(new Line(text.strip(), size, paragraphStart));
            paragraphStart = false;
        }
    }

    /** Outline titles (normalised) with their depth, 0 for the top level. */
    private static Map<String, Integer> outline(PDDocument doc) {
        Map<String, Integer> titles = new HashMap<>();
        PDOutlineNode root = doc.getDocumentCatalog().getDocumentOutline();
        if (root != null) {
            walk(root, 0, titles);
        }
        return titles;
    }

    private static void walk(PDOutlineNode node, int depth, Map<String, Integer> titles) {
        for (PDOutlineItem item : node.children()) {
            if (item.getTitle() != null && !item.getTitle().isBlank()) {
                titles.putIfAbsent(normalise(item.getTitle()), depth);
            }
            if (depth < MAX_HEADING_LEVELS) {
                walk(item, depth + 1, titles);
            }
        }
    }

    private static Document build(PDDocument pdf, List<Line> lines, Map<String, Integer> outline, String baseUrl) {
        Document html = Document.createShell(baseUrl == null ? "" : baseUrl);
        float body = bodySize(lines);
        Map<Float, Integer> sizeLevels = sizeLevels(lines, body);
        Element out = html.body();
        StringBuilder paragraph = new StringBuilder();
        String firstHeading = null;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            int level = headingLevel(line, outline, sizeLevels);
            if (level > 0) {
                // A heading set over several lines continues while the next line has the same size.
                StringBuilder heading = new StringBuilder(line.text());
                while (i + 1 < lines.size() && outline.isEmpty() && lines.get(i + 1).size() == line.size()
                        && heading.length() + lines.get(i + 1).text().length() <= MAX_HEADING_CHARS) {
                    heading.append(' ').append(lines.get(++i).text());
                }
                flush(out, paragraph);
                out.appendElement("h" + level).text(heading.toString());
                if (firstHeading == null) {
                    firstHeading = heading.toString();
                }
                continue;
            }
            if (line.paragraphStart()) {
                flush(out, paragraph);
            }
            append(paragraph, line.text());
        }
        flush(out, paragraph);
        head(html, pdf.getDocumentInformation(), firstHeading);
        return html;
    }

    /** The body text's size: the size that covers the most characters. */
    private static float bodySize(List<Line> lines) {
        Map<Float, Integer> chars = new HashMap<>();
        for (Line l : lines) {
            chars.merge(l.size(), l.text().length(), Integer::sum);
        }
        return chars.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0f);
    }

    /** Heading levels by size: the largest size used for short lines is level 1, the next level 2... */
    private static Map<Float, Integer> sizeLevels(List<Line> lines, float body) {
        TreeMap<Float, Boolean> sizes = new TreeMap<>();
        for (Line l : lines) {
            if (l.size() >= body * HEADING_SCALE && l.text().length() <= MAX_HEADING_CHARS) {
                sizes.put(l.size(), true);
            }
        }
        Map<Float, Integer> levels = new HashMap<>();
        int level = 1;
        for (Float size : sizes.descendingKeySet()) {
            levels.put(size, Math.min(level++, MAX_HEADING_LEVELS));
        }
        return levels;
    }

    private static int headingLevel(Line line, Map<String, Integer> outline, Map<Float, Integer> sizeLevels) {
        if (!outline.isEmpty()) {
            Integer depth = outline.get(normalise(line.text()));
            return depth == null ? 0 : Math.min(depth + 1, MAX_HEADING_LEVELS);
        }
        if (line.text().length() > MAX_HEADING_CHARS) {
            return 0;
        }
        return sizeLevels.getOrDefault(line.size(), 0);
    }

    /** Joins a line to its paragraph, mending words hyphenated across the line break. */
    private static void append(StringBuilder paragraph, String text) {
        if (paragraph.length() > 0) {
            int last = paragraph.length() - 1;
            if (paragraph.charAt(last) == '-' && last > 0 && Character.isLetter(paragraph.charAt(last - 1))
                    && !text.isEmpty() && Character.isLowerCase(text.charAt(0))) {
                paragraph.setLength(last);
            } else {
                paragraph.append(' ');
            }
        }
        paragraph.append(text);
    }

    private static void flush(Element out, StringBuilder paragraph) {
        if (!paragraph.isEmpty()) {
            out.appendElement("p").text(paragraph.toString());
            paragraph.setLength(0);
        }
    }

    /** Title, author and date as the meta tags {@link MetadataReader} reads from any page. */
    private static void head(Document html, PDDocumentInformation info, String firstHeading) {
        String title = blankToNull(info.getTitle());
        html.title(title != null ? title : firstHeading != null ? firstHeading : "");
        if (title != null) {
            html.head().appendElement("meta").attr("property", "og:title").attr("content", title);
        }
        String author = blankToNull(info.getAuthor());
        if (author != null) {
            html.head().appendElement("meta").attr("name", "author").attr("content", author);
        }
        Calendar created = info.getCreationDate() != null ? info.getCreationDate() : info.getModificationDate();
        if (created != null) {
            String iso = created.toInstant().atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            html.head().appendElement("meta").attr("property", "article:published_time").attr("content", iso);
        }
        String subject = blankToNull(info.getSubject());
        if (subject != null) {
            html.head().appendElement("meta").attr("name", "description").attr("content", subject);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}
