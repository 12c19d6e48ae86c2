package dev.sluice.extract;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Cuts rendered content to a character budget at the most natural boundary available: a paragraph break, else the
 * end of a sentence, else a word, provided that keeps at least half the budget. Markdown keeps a cut code fence
 * closed; HTML is cut on its text and re-serialised so every tag stays balanced.
 */
final class Truncator {

    private Truncator() {
    }

    static String cut(String content, int maxChars, OutputFormat format) {
        if (content.length() <= maxChars) {
            return content;
        }
        return switch (format) {
            case HTML -> cutHtml(content, maxChars);
            case MARKDOWN -> cutMarkdown(content, maxChars);
            case TEXT -> cutText(content, maxChars);
        };
    }

    static String cutText(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        String head = text.substring(0, maxChars);
        int floor = maxChars / 2;
        int at = head.lastIndexOf("\n\n");
        if (at < floor) {
            at = lastSentenceEnd(head);
        }
        if (at < floor) {
            at = head.lastIndexOf('\n');
        }
        if (at < floor) {
            at = lastWhitespace(head);
        }
        if (at < floor) {
            at = maxChars;
        }
        return head.substring(0, at).stripTrailing();
    }

    private static String cutMarkdown(String markdown, int maxChars) {
        String cut = cutText(markdown, maxChars);
        String fence = openFence(cut);
        if (fence != null) {
            // Leave room to close the fence, so that whatever follows in a prompt is not read as code.
            cut = cutText(markdown, Math.max(0, maxChars - fence.length() - 1));
            fence = openFence(cut);
            if (fence != null) {
                cut = cut + "\n" + fence;
            }
        }
        return cut;
    }

    /** The fence of a code block left open in the text, or null. */
    private static String openFence(String markdown) {
        String open = null;
        for (String line : markdown.split("\n")) {
            String l = line.stripLeading();
            if (l.startsWith("```")) {
                int n = 0;
                while (n < l.length() && l.charAt(n) == '`') {
                    n++;
                }
                String fence = l.substring(0, n);
                if (open == null) {
                    open = fence;
                } else if (l.strip().equals(open) || (l.strip().startsWith(open) && l.strip().replace("`", "").isEmpty())) {
                    open = null;
                }
            }
        }
        return open;
    }

    private static String cutHtml(String html, int maxChars) {
        String candidate = html;
        int budget = maxChars;
        for (int attempt = 0; attempt < 12 && candidate.length() > maxChars; attempt++) {
            String head = html.substring(0, Math.min(html.length(), Math.max(0, budget)));
            int lastOpen = head.lastIndexOf('<');
            if (lastOpen > head.lastIndexOf('>')) {
                head = head.substring(0, lastOpen);
            }
            int ws = lastWhitespace(head);
            if (ws > head.length() / 2 && head.lastIndexOf('>') < ws) {
                head = head.substring(0, ws);
            }
            Document fragment = Jsoup.parseBodyFragment(head);
            fragment.outputSettings().prettyPrint(false);
            candidate = fragment.body().html();
            budget -= Math.max(16, (candidate.length() - maxChars) + 8);
        }
        return candidate.length() > maxChars ? "" : candidate;
    }

    private static int lastSentenceEnd(String s) {
        for (int i = s.length() - 2; i >= 0; i--) {
            char c = s.charAt(i);
            if ((c == '.' || c == '!' || c == '?' || c == '。') && Character.isWhitespace(s.charAt(i + 1))) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int lastWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
