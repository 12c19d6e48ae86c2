package dev.sluice.extract;

import java.util.List;
import org.jsoup.nodes.Element;

/**
 * On a catalogue page (a category, a collection, a listing) the items are the content, yet each card is a short
 * linked title that weighs little as prose: the prose-led descent can settle on a category blurb or buying guide and
 * miss the grid. This widens the chosen container to take in the page's dominant run of item cards, and the page's
 * heading when it sits just above them.
 */
final class CatalogueGrid {

    /** Fewer cards than this are a rail or a teaser strip, not a catalogue's grid. */
    static final int MIN_ITEMS = 4;
    /** A product grid shows at least this many priced cards... */
    private static final int MIN_PRICED_ITEMS = 6;
    /** ...and most of its cards show a price. */
    private static final double PRICED_SHARE = 0.6;
    /**
     * A run of cards with less text than this share of the chosen content is a rail beside it ("read next",
     * "more from this collection"), not the catalogue itself.
     */
    private static final double MIN_GRID_SHARE = 0.15;
    /**
     * Widening to the common ancestor of the chosen container and the grid is allowed while that ancestor holds at
     * most this much more text than the two together (what lies between: a toolbar, a banner).
     */
    private static final double UNION_SLACK = 1.25;
    /** The page heading is taken in when the step up to it adds at most this share of the container's text... */
    private static final double HEADING_SLACK_SHARE = 0.15;
    /** ...or at most this many characters. */
    private static final int HEADING_SLACK_CHARS = 300;

    private CatalogueGrid() {
    }

    /** The largest (by text) run of same-shaped short linked cards under {@code root}; empty when there is none. */
    static List<Element> dominantRun(Element root, TextStats stats) {
        List<Element> best = List.of();
        int bestText = 0;
        for (List<Element> run : RepeatedCards.runs(root, Integer.MAX_VALUE,
                card -> RepeatedCards.isLinkedTeaser(card, stats))) {
            if (run.size() < MIN_ITEMS) {
                continue;
            }
            int text = 0;
            for (Element card : run) {
                text += stats.of(card).text;
            }
            if (text > bestText) {
                best = run;
                bestText = text;
            }
        }
        return best;
    }

    /**
     * The content container and the catalogue's grid of cards in it (null when the page has none).
     *
     * @param container the element holding the content
     * @param grid      the parent of the item cards: the items themselves, never pruned as a list of links
     */
    record Choice(Element container, Element grid) {
    }

    /**
     * The container to use instead of {@code chosen}: widened to hold the dominant grid of cards under
     * {@code body} (with the blurb the descent chose, when both sit close together) and the page's heading.
     */
    static Choice widen(Element body, Element chosen, TextStats stats, List<Element> run) {
        Element node = chosen;
        Element grid = null;
        int runText = 0;
        for (Element card : run) {
            runText += stats.of(card).text;
        }
        if (!run.isEmpty() && runText >= MIN_GRID_SHARE * stats.of(chosen).text) {
            grid = run.get(0).parent();
            if (isInside(node, grid)) {
                node = grid;
            } else if (!isInside(grid, node)) {
                Element common = commonAncestor(node, grid);
                int nodeText = stats.of(node).text;
                if (common != null && stats.of(common).text <= UNION_SLACK * (nodeText + stats.of(grid).text)) {
                    node = common;
                } else if (runText > nodeText) {
                    node = grid;
                }
            }
            if (!isInside(grid, node)) {
                grid = null;
            }
        }
        return grid == null ? new Choice(chosen, null) : new Choice(withHeading(body, node, stats), grid);
    }

    /**
     * A grid of products: at least {@link #MIN_PRICED_ITEMS} cards, most showing a price. Pages that do not say
     * what they are (no catalogue type, no catalogue URL) are recognised as catalogues by it.
     */
    static boolean isPricedGrid(List<Element> run) {
        if (run.size() < MIN_PRICED_ITEMS) {
            return false;
        }
        int priced = 0;
        for (Element card : run) {
            if (PageTypeGuesser.PRICE.matcher(card.text()).find()) {
                priced++;
            }
        }
        return priced >= PRICED_SHARE * run.size();
    }

    /** Steps up to take in the page's first {@code h1} when little else comes with it. */
    private static Element withHeading(Element body, Element node, TextStats stats) {
        Element h1 = body.selectFirst("h1");
        if (h1 == null || isInside(h1, node)) {
            return node;
        }
        Element common = commonAncestor(node, h1);
        if (common == null) {
            return node;
        }
        int here = stats.of(node).text;
        int extra = stats.of(common).text - here;
        return extra <= Math.max(HEADING_SLACK_CHARS, HEADING_SLACK_SHARE * here) ? common : node;
    }

    /** True when {@code e} is {@code ancestor} or lies below it. */
    static boolean isInside(Element e, Element ancestor) {
        for (Element p = e; p != null; p = p.parent()) {
            if (p == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static Element commonAncestor(Element a, Element b) {
        for (Element p = a; p != null; p = p.parent()) {
            if (isInside(b, p)) {
                return p;
            }
        }
        return null;
    }
}
