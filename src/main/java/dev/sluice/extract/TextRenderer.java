package dev.sluice.extract;

import java.util.List;

/**
 * Writes content as plain text: headings and list items on their own lines, paragraphs separated by blank lines,
 * table rows one per line with cells separated by " | ", code blocks verbatim. Nothing is escaped and links become
 * their text.
 */
final class TextRenderer extends BlockRenderer {

    TextRenderer(boolean includeLinks, boolean includeImages) {
        // Links and images have no plain-text form; links are still collected for ExtractedPage.links().
        super(includeLinks, false);
    }

    @Override
    protected String heading(int level, String text) {
        return text;
    }

    @Override
    protected String listItemMarker(boolean ordered, int number) {
        return ordered ? number + ". " : "- ";
    }

    @Override
    protected String codeBlock(String code, String language) {
        return code;
    }

    @Override
    protected String quote(String inner) {
        return inner;
    }

    @Override
    protected String horizontalRule() {
        return null;
    }

    @Override
    protected String table(List<List<String>> rows, boolean firstRowIsHeader) {
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(String.join(" | ", row.stream().filter(c -> !c.isEmpty()).toList()));
        }
        return sb.toString();
    }

    @Override
    protected String escapeText(String text) {
        return text;
    }

    @Override
    protected String escapeLineStart(String line) {
        return line;
    }

    @Override
    protected String styled(Style style, String inner) {
        return inner;
    }

    @Override
    protected String inlineCode(String code) {
        return code;
    }

    @Override
    protected String link(String text, String url) {
        return text;
    }

    @Override
    protected String image(String alt, String url) {
        return "";
    }
}
