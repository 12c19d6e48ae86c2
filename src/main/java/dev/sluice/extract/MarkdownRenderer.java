package dev.sluice.extract;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes content as CommonMark with the GitHub extensions LLMs know best: pipe tables, fenced code with a language,
 * strikethrough. Text is escaped only where a character would otherwise change the meaning (emphasis markers,
 * brackets, backticks, and block markers at the start of a line), so ordinary prose stays readable.
 */
final class MarkdownRenderer extends BlockRenderer {

    private static final Pattern BACKTICK_RUN = Pattern.compile("`+");
    private static final Pattern LINE_START_MARKER = Pattern.compile("^(?:#{1,6}(?=\\s|$)|>|[-+*](?=\\s)|=+$|-+$|(\\d{1,9})([.)])(?=\\s|$))");

    MarkdownRenderer(boolean includeLinks, boolean includeImages) {
        super(includeLinks, includeImages);
    }

    @Override
    protected String heading(int level, String text) {
        return "#".repeat(level) + " " + text;
    }

    @Override
    protected String listItemMarker(boolean ordered, int number) {
        return ordered ? number + ". " : "- ";
    }

    @Override
    protected String codeBlock(String code, String language) {
        String fence = "`".repeat(Math.max(3, longestRun(code) + 1));
        return fence + language + "\n" + code + "\n" + fence;
    }

    @Override
    protected String quote(String inner) {
        StringBuilder sb = new StringBuilder();
        for (String line : inner.split("\n", -1)) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(line.isEmpty() ? ">" : "> " + line);
        }
        return sb.toString();
    }

    @Override
    protected String horizontalRule() {
        return "---";
    }

    @Override
    protected String table(List<List<String>> rows, boolean firstRowIsHeader) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        // GFM needs a header row; a table without one gets an empty header so no data row is promoted.
        List<String> header = firstRowIsHeader ? rows.get(0) : List.of();
        appendRow(sb, header, columns);
        sb.append('\n').append('|');
        for (int i = 0; i < columns; i++) {
            sb.append(" --- |");
        }
        for (int r = firstRowIsHeader ? 1 : 0; r < rows.size(); r++) {
            sb.append('\n');
            appendRow(sb, rows.get(r), columns);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int columns) {
        sb.append('|');
        for (int i = 0; i < columns; i++) {
            String cell = i < cells.size() ? cells.get(i).replace("|", "\\|") : "";
            sb.append(' ').append(cell).append(cell.isEmpty() ? "|" : " |");
        }
    }

    @Override
    protected String escapeText(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\', '`', '*', '[', ']' -> sb.append('\\').append(c);
                case '_' -> {
                    // Intraword underscores (snake_case) are literal in CommonMark; escape only at word edges.
                    boolean before = i > 0 && Character.isLetterOrDigit(text.charAt(i - 1));
                    boolean after = i + 1 < text.length() && Character.isLetterOrDigit(text.charAt(i + 1));
                    sb.append(before && after ? "_" : "\\_");
                }
                case '<' -> {
                    boolean tagLike = i + 1 < text.length()
                            && (Character.isLetter(text.charAt(i + 1)) || "/!?".indexOf(text.charAt(i + 1)) >= 0);
                    sb.append(tagLike ? "\\<" : "<");
                }
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    protected String escapeLineStart(String line) {
        Matcher m = LINE_START_MARKER.matcher(line);
        if (!m.find()) {
            return line;
        }
        if (m.group(1) != null) {
            return m.group(1) + "\\" + line.substring(m.group(1).length());
        }
        return "\\" + line;
    }

    @Override
    protected String styled(Style style, String inner) {
        String mark = switch (style) {
            case STRONG -> "**";
            case EMPHASIS -> "*";
            case STRIKETHROUGH -> "~~";
        };
        return mark + inner + mark;
    }

    @Override
    protected String inlineCode(String code) {
        int run = longestRun(code);
        String ticks = "`".repeat(run + 1);
        // A code span that starts or ends with a backtick needs a space inside its delimiters.
        boolean pad = code.startsWith("`") || code.endsWith("`");
        return ticks + (pad ? " " : "") + code + (pad ? " " : "") + ticks;
    }

    @Override
    protected String link(String text, String url) {
        return "[" + text + "](" + escapeUrl(url) + ")";
    }

    @Override
    protected String image(String alt, String url) {
        return "![" + escapeText(alt) + "](" + escapeUrl(url) + ")";
    }

    private static String escapeUrl(String url) {
        return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29");
    }

    private static int longestRun(String s) {
        int longest = 0;
        Matcher m = BACKTICK_RUN.matcher(s);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        return longest;
    }
}
