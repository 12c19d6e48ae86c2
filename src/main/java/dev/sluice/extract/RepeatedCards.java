package dev.sluice.extract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jsoup.nodes.Element;

/**
 * Runs of same-shaped sibling "cards": the structure of teaser rails, product carousels and review lists. Two
 * siblings have the same shape when they share their tag and first class name; a run counts when at least
 * {@link #MIN_CARDS} of them each satisfy a test (hold a link, show a price...).
 */
final class RepeatedCards {

    static final int MIN_CARDS = 3;
    /** Teasers are short; long repeated blocks are an article's own sections. */
    private static final int MAX_CARD_CHARS = 400;
    /**
     * A teaser's linked title is a fair share of its text; an article's own list of items (a named tool, a linked
     * product and a paragraph about it) links a word or two in a paragraph.
     */
    private static final double TEASER_LINK_DENSITY = 0.2;
    /** How deep below an element a run of cards is looked for. */
    private static final int SEARCH_DEPTH = 4;

    private RepeatedCards() {
    }

    /** True when {@code e}, or an element a few levels below it, is mostly a run of short linked cards. */
    static boolean holdsCards(Element e, TextStats stats) {
        int total = stats.of(e).text;
        if (total == 0) {
            return false;
        }
        int inCards = 0;
        for (List<Element> run : runs(e, SEARCH_DEPTH, card -> isLinkedTeaser(card, stats)
                && stats.of(card).linkDensity() >= TEASER_LINK_DENSITY)) {
            for (Element card : run) {
                inCards += stats.of(card).text;
            }
        }
        return inCards >= 0.5 * total;
    }

    /** Every run of at least {@link #MIN_CARDS} same-shaped siblings passing {@code test}, under {@code root}. */
    static List<List<Element>> runs(Element root, int depth, Predicate<Element> test) {
        List<List<Element>> found = new ArrayList<>();
        collect(root, depth, test, found);
        return found;
    }

    private static void collect(Element parent, int depth, Predicate<Element> test, List<List<Element>> found) {
        if (parent.childrenSize() >= MIN_CARDS) {
            Map<String, List<Element>> groups = new HashMap<>();
            for (Element child : parent.children()) {
                if (!TextStats.INLINE_TAGS.contains(child.normalName()) || child.nameIs("a")) {
                    groups.computeIfAbsent(shape(child), k -> new ArrayList<>()).add(child);
                }
            }
            for (List<Element> group : groups.values()) {
                if (group.size() >= MIN_CARDS) {
                    List<Element> passing = group.stream().filter(test).toList();
                    if (passing.size() >= MIN_CARDS && passing.size() * 5 >= group.size() * 4) {
                        found.add(passing);
                    }
                }
            }
        }
        if (depth > 0) {
            for (Element child : parent.children()) {
                collect(child, depth - 1, test, found);
            }
        }
    }

    private static String shape(Element e) {
        String cls = e.className().strip();
        int space = cls.indexOf(' ');
        return e.normalName() + "." + (space < 0 ? cls : cls.substring(0, space));
    }

    /** A short block of text: the size of a card. */
    static boolean isShortCard(Element e, TextStats stats) {
        TextStats.Stat s = stats.of(e);
        return s.text > 0 && s.text <= MAX_CARD_CHARS;
    }

    /** A short block that holds a link (or is one): the shape of a teaser. */
    static boolean isLinkedTeaser(Element e, TextStats stats) {
        TextStats.Stat s = stats.of(e);
        return s.text > 0 && s.text <= MAX_CARD_CHARS && (s.linkText > 0 || e.nameIs("a"));
    }
}
