package dev.sluice.extract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * Removes the chrome every post of a discussion thread repeats: what is printed the same way in post after post
 * is the forum software talking, not the posters.
 *
 * <ul>
 *   <li>A short text block (a few words) that recurs word for word in several posts is a control or a badge:
 *       "Reply with quote", "Report", "Member", "Click to expand...".</li>
 *   <li>A short "label: value" block whose label recurs in several posts is the poster panel's statistics:
 *       "Join date: Aug 2008", "Posts: 1,077", "Location: ...".</li>
 * </ul>
 * Code blocks are left alone (a line such as {@code fi} or {@code import time} repeats legitimately), and so is
 * everything longer than a label: what people write does not repeat word for word.
 */
final class ForumChrome {

    /** Text blocks this short (characters, words) can be chrome. */
    private static final int CHROME_CHARS = 30;
    private static final int CHROME_WORDS = 4;
    /** Chrome repeats in at least this many posts. */
    private static final int MIN_REPEATS = 3;
    /** "Join date: Aug 2008": a short label, a colon, a short value. */
    private static final Pattern STAT = Pattern.compile("([\\p{L}][\\p{L} .]{0,20}):\\s*\\S.{0,30}");

    private ForumChrome() {
    }

    /** Removes the repeated chrome under {@code container}. */
    static void strip(Element container) {
        List<Element> blocks = new ArrayList<>();
        collect(container, blocks);
        Map<String, Integer> texts = new HashMap<>();
        Map<String, Integer> labels = new HashMap<>();
        List<String> keys = new ArrayList<>(blocks.size());
        List<String> statLabels = new ArrayList<>(blocks.size());
        for (Element block : blocks) {
            String text = block.text().strip();
            String key = isShort(text) ? text : null;
            keys.add(key);
            if (key != null) {
                texts.merge(key, 1, Integer::sum);
            }
            Matcher m = text.length() <= 60 ? STAT.matcher(text) : null;
            String label = m != null && m.matches() ? m.group(1).strip().toLowerCase(java.util.Locale.ROOT) : null;
            statLabels.add(label);
            if (label != null) {
                labels.merge(label, 1, Integer::sum);
            }
        }
        for (int i = 0; i < blocks.size(); i++) {
            String key = keys.get(i);
            String label = statLabels.get(i);
            if (key != null && texts.get(key) >= MIN_REPEATS || label != null && labels.get(label) >= MIN_REPEATS) {
                blocks.get(i).remove();
            }
        }
    }

    private static boolean isShort(String text) {
        if (text.isEmpty() || text.length() > CHROME_CHARS) {
            return false;
        }
        int words = ContentExtractor.wordCount(text);
        return words > 0 && words <= CHROME_WORDS;
    }

    /** Text blocks (block elements without block children) in document order, outside code. */
    private static void collect(Element parent, List<Element> blocks) {
        for (Element child : parent.children()) {
            String tag = child.normalName();
            if (tag.equals("pre") || tag.equals("code") || TextStats.INLINE_TAGS.contains(tag)) {
                continue;
            }
            if (TextStats.hasBlockChild(child)) {
                collect(child, blocks);
            } else if (!child.text().isBlank()) {
                blocks.add(child);
            }
        }
    }
}
