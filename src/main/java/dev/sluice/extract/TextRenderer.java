package dev.sluice.extract;

import java.util.List;

/**
 * Writes content as plain text: headings and list items on their own lines, paragraphs separated by blank lines,
 * table rows one per line with cells separated by " | ", code blocks verbatim. Nothing is escaped and links become
 * their text (the bare forms {@link BlockRenderer} writes by default).
 */
final class TextRenderer extends BlockRenderer {

    TextRenderer(boolean includeLinks, boolean includeImages) {
        // Links and images have no plain-text form; links are still collected for ExtractedPage.links().
        super(includeLinks, false);
    }

    @Override
    protected String listItemMarker(boolean ordered, int number) {
        return ordered ? number + ". " : "- ";
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
}
