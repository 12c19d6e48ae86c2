package dev.sluice.extract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.jsoup.nodes.Element;

/**
 * Finds the element that holds a page's main content, once furniture is gone.
 *
 * <p>The idea: the main content is the smallest element that still holds most of the page's prose. Starting at
 * the body (or at a declared {@code <main>} that holds a fair share of the prose), the finder steps down into a
 * child as long as that one child holds nearly all the prose of its parent. It stops where the prose spreads over
 * several children: the paragraphs of an article, the posts of a forum thread, the items of a listing, the sections
 * of a service page. Prose is measured by {@link TextStats} weights, so link lists and short labels count little.
 *
 * <p>Inside the chosen element it then tidies up what class names cannot catch: blocks that are mostly links in an
 * otherwise prose-like container (tag lists, "read next" lists; in link-heavy containers such as listings those
 * links are the content and stay), calls to action ("Get started", "Learn more"), and text blocks that repeat an
 * earlier one word for word (responsive duplicates).
 */
final class MainContentFinder {

    /** Parts of the content that are never the whole of it; the descent never enters them. */
    private static final Set<String> LEAF_BLOCKS = Set.of("p", "pre", "code", "table", "thead", "tbody", "tfoot", "tr",
            "ul", "ol", "dl", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "address", "details",
            "summary", "caption", "dt", "dd");

    /** Priced cards holding at least this share of a product page's text are a catalogue, not a carousel. */
    private static final double OTHER_PRODUCTS_MAX_SHARE = 0.5;
    /** Name tokens of a slider: a strip of cards scrolled sideways. */
    private static final Set<String> CAROUSEL_TOKENS = Set.of("carousel", "slider", "swiper", "slick", "glide",
            "splide", "flickity");
    /** A price label ("$49.00", "From €39.99 incl. VAT") is short. */
    private static final int PRICE_LABEL_CHARS = 40;
    /** Blocks shorter than this may repeat legitimately. */
    private static final int REPEAT_MIN_CHARS = 40;
    /** Calls to action are short; a longer link is more likely a title. */
    private static final int CALL_TO_ACTION_CHARS = 40;

    /** Step into a child that holds at least this share of its parent's prose. */
    private static final double DESCEND_SHARE = 0.88;
    private static final double FORUM_DESCEND_SHARE = 0.95;
    /** A declared main element is trusted when it holds at least this share of the page's prose. */
    private static final double MAIN_SHARE = 0.25;
    /** Below this much prose weight the page is treated as link-shaped (listings, catalogues). */
    private static final double THIN_PAGE_WEIGHT = 150;

    private final ArticleNarrower narrower = new ArticleNarrower();

    Element find(Element body, PageType type) {
        return find(body, type, false);
    }

    /**
     * @param declaredArticle the page declares itself an article (metadata or a dated URL): then a descent drawn
     *                        into rails of teaser cards is brought back to the article body
     */
    Element find(Element body, PageType type, boolean declaredArticle) {
        // The opening post of a discussion often sits apart from the replies; step down only into near-totals.
        double descendShare = type == PageType.FORUM ? FORUM_DESCEND_SHARE : DESCEND_SHARE;
        TextStats stats = TextStats.measure(body);
        double total = stats.of(body).weight;
        boolean linkShaped = total < THIN_PAGE_WEIGHT;
        Element node = body;
        Element declared = declaredMain(body, stats, total);
        if (declared != null) {
            node = declared;
        }
        while (true) {
            Element best = null;
            double bestValue = 0;
            for (Element child : node.children()) {
                if (!isContainer(child)) {
                    continue;
                }
                double v = value(stats.of(child), linkShaped);
                if (v > bestValue) {
                    bestValue = v;
                    best = child;
                }
            }
            double here = value(stats.of(node), linkShaped);
            if (best == null || here <= 0 || bestValue < descendShare * here) {
                break;
            }
            node = best;
        }
        Element grid = null;
        boolean catalogue = type == PageType.COLLECTION || type == PageType.LISTING;
        boolean unclassified = !declaredArticle && (type == PageType.ARTICLE || type == PageType.SERVICE);
        if (catalogue || unclassified) {
            List<Element> run = CatalogueGrid.dominantRun(body, stats);
            // a page that does not say what it is but shows a grid of priced cards is a catalogue
            CatalogueGrid.Choice choice = catalogue || CatalogueGrid.isPricedGrid(run)
                    ? CatalogueGrid.widen(body, node, stats, run) : null;
            if (choice != null && choice.grid() != null) {
                node = choice.container();
                grid = choice.grid();
                type = PageType.COLLECTION;
            }
        }
        if (type == PageType.ARTICLE) {
            if (declaredArticle) {
                node = narrower.relocate(body, node, stats);
            }
            // content that is mostly a run of linked cards is a listing, unless the page declares itself an article
            if (declaredArticle || !RepeatedCards.holdsCards(node, stats)) {
                narrower.narrow(node, stats);
            }
        } else if (type == PageType.PRODUCT) {
            removeOtherProducts(node, stats);
            ProductFinePrint.remove(node, stats);
            ProductSidebar.remove(node);
        } else if (type == PageType.FORUM) {
            ForumChrome.strip(node);
        }
        pruneLinkBlocks(node, stats, grid);
        trimAuthorCards(node);
        removeCallsToAction(node);
        removeRepeatedBlocks(node);
        return node;
    }

    /**
     * A post's author card, declared with schema.org microdata ({@code itemprop="author"} holding the author's
     * {@code itemprop="name"}), says who wrote the post; what else it holds is the author's profile: their title or
     * rank, badges, join date, post count, a motto. Only the name is kept; the rest of the card goes.
     */
    private static void trimAuthorCards(Element container) {
        for (Element card : container.getElementsByAttributeValue("itemprop", "author")) {
            if (card.parent() == null || TextStats.INLINE_TAGS.contains(card.normalName())) {
                continue;
            }
            Element name = card.selectFirst("[itemprop=name]");
            if (name == null) {
                continue;
            }
            // everything beside the path from the card down to the name
            for (Element level = name; level != card; level = level.parent()) {
                for (Element sibling : level.parent().children()) {
                    if (sibling != level) {
                        sibling.remove();
                    }
                }
            }
        }
    }

    /**
     * A product page is about one product. A run of short linked cards that each show a price is other products:
     * a "customers also bought" carousel, variants, recently viewed. The product's own price is not in a run.
     */
    private static void removeOtherProducts(Element container, TextStats stats) {
        // a card in a slider is another product even when its title is not a link (the whole card is clickable)
        Predicate<Element> otherProduct = card -> isPricedCard(card, stats)
                || RepeatedCards.isShortCard(card, stats) && PageTypeGuesser.PRICE.matcher(card.text()).find()
                && inCarousel(card, container);
        List<List<Element>> runs = RepeatedCards.runs(container, Integer.MAX_VALUE, otherProduct);
        int inCards = 0;
        for (List<Element> run : runs) {
            for (Element card : run) {
                inCards += stats.of(card).text;
            }
        }
        // when priced cards are most of the page, the "product" page is a catalogue and the cards are its content;
        // cards in a carousel are still other products: a catalogue lays its items out in a grid, not a slider
        boolean catalogue = inCards >= OTHER_PRODUCTS_MAX_SHARE * stats.of(container).text
                && !hasOwnPrice(container, runs);
        for (List<Element> run : runs) {
            if (catalogue && !inCarousel(run.get(0), container)) {
                continue;
            }
            // the first or last slide often carries an extra class ("active"): same tag, same test, same strip
            Element strip = run.get(0).parent();
            for (Element card : new ArrayList<>(strip.children())) {
                if (card.normalName().equals(run.get(0).normalName()) && otherProduct.test(card)) {
                    card.remove();
                }
            }
        }
    }

    /**
     * A product page shows its own price in the buy box, outside every run of cards; a catalogue shows prices only
     * on its cards. Looks for a short price label outside the runs.
     */
    private static boolean hasOwnPrice(Element container, List<List<Element>> runs) {
        Set<Element> cards = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Element> run : runs) {
            cards.addAll(run);
        }
        for (Element e : container.getAllElements()) {
            if (!e.ownText().isEmpty() && e.text().length() <= PRICE_LABEL_CHARS
                    && PageTypeGuesser.PRICE.matcher(e.text()).find() && !insideAny(e, cards, container)) {
                return true;
            }
        }
        return false;
    }

    private static boolean insideAny(Element e, Set<Element> cards, Element stop) {
        for (Element p = e; p != null && p != stop; p = p.parent()) {
            if (cards.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** The element sits in a slider: declared by ARIA ({@code aria-roledescription="carousel"}) or by its name. */
    private static boolean inCarousel(Element e, Element stop) {
        for (Element p = e; p != null && p != stop; p = p.parent()) {
            if ("carousel".equalsIgnoreCase(p.attr("aria-roledescription"))) {
                return true;
            }
            for (String token : p.className().toLowerCase(Locale.ROOT).split("[\\s_-]+")) {
                if (CAROUSEL_TOKENS.contains(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isPricedCard(Element e, TextStats stats) {
        return RepeatedCards.isLinkedTeaser(e, stats) && PageTypeGuesser.PRICE.matcher(e.text()).find();
    }

    /**
     * Only elements that group blocks are candidates; a paragraph, a code block, a list or a table is a part of the
     * content, never all of it, even when it is the only part.
     */
    private static boolean isContainer(Element e) {
        return !LEAF_BLOCKS.contains(e.normalName()) && !TextStats.INLINE_TAGS.contains(e.normalName());
    }

    private static double value(TextStats.Stat s, boolean linkShaped) {
        return linkShaped ? s.text : s.weight;
    }

    private static Element declaredMain(Element body, TextStats stats, double total) {
        List<Element> mains = body.select("main, [role=main]");
        if (mains.size() != 1 || total <= 0) {
            return null;
        }
        Element main = mains.get(0);
        return stats.of(main).weight >= MAIN_SHARE * total ? main : null;
    }

    /**
     * Responsive pages often ship the same text twice (a mobile and a desktop variant, one hidden by a stylesheet
     * this extractor does not apply). A block of text that repeats an earlier one word for word is such a copy.
     * Short blocks ("Reply", "$25") legitimately repeat and are left alone.
     */
    private static void removeRepeatedBlocks(Element container) {
        List<Element> doomed = new ArrayList<>();
        collectRepeats(container, new java.util.HashSet<>(), doomed);
        for (Element e : doomed) {
            e.remove();
        }
    }

    /** Visits text blocks (block elements without block children) in document order, without entering them. */
    private static void collectRepeats(Element parent, java.util.Set<String> seen, List<Element> doomed) {
        for (Element child : parent.children()) {
            if (TextStats.INLINE_TAGS.contains(child.normalName()) || TextStats.hasBlockChild(child)) {
                collectRepeats(child, seen, doomed);
                continue;
            }
            String text = child.text();
            if (text.length() >= REPEAT_MIN_CHARS && !seen.add(text)) {
                doomed.add(child);
            }
        }
    }

    /**
     * Links styled as buttons ("Get started", "Book a demo", "Shop now") and short links standing alone in a block
     * ("Learn more", "Read more") are actions, not content. Linked headings are titles and stay.
     */
    private static void removeCallsToAction(Element container) {
        List<Element> doomed = new ArrayList<>();
        for (Element a : container.getElementsByTag("a")) {
            String text = a.text().strip();
            if (text.isEmpty() || text.length() > CALL_TO_ACTION_CHARS || insideHeading(a, container)) {
                continue;
            }
            if (looksLikeButton(a.className()) || standsAlone(a, text)) {
                doomed.add(a);
            }
        }
        for (Element a : doomed) {
            a.remove();
        }
    }

    private static boolean looksLikeButton(String classNames) {
        if (classNames.isEmpty()) {
            return false;
        }
        for (String token : classNames.toLowerCase(java.util.Locale.ROOT).split("[\\s_-]+")) {
            if (token.equals("btn") || token.equals("button") || token.equals("cta")) {
                return true;
            }
        }
        return false;
    }

    /** A link of at most three words that is the whole text of its block. */
    private static boolean standsAlone(Element a, String text) {
        if (ContentExtractor.wordCount(text) > 3) {
            return false;
        }
        Element block = a.parent();
        while (block != null && TextStats.INLINE_TAGS.contains(block.normalName())) {
            block = block.parent();
        }
        return block != null && !block.nameIs("li") && !block.nameIs("td") && block.text().strip().equals(text);
    }

    private static boolean insideHeading(Element e, Element stop) {
        for (Element p = e; p != null && p != stop; p = p.parent()) {
            if (p.normalName().length() == 2 && p.normalName().charAt(0) == 'h' && Character.isDigit(p.normalName().charAt(1))) {
                return true;
            }
        }
        return false;
    }

    /** @param grid a catalogue's grid of item cards, kept whole (its cards are links by design); may be null */
    private static void pruneLinkBlocks(Element container, TextStats stats, Element grid) {
        TextStats.Stat whole = stats.of(container);
        if (whole.linkDensity() > 0.35) {
            return;
        }
        List<Element> doomed = new ArrayList<>();
        collectLinkBlocks(container, stats, doomed, grid);
        for (Element e : doomed) {
            e.remove();
        }
    }

    private static void collectLinkBlocks(Element parent, TextStats stats, List<Element> doomed, Element grid) {
        for (Element child : parent.children()) {
            if (TextStats.INLINE_TAGS.contains(child.normalName()) || child == grid) {
                continue;
            }
            if (grid != null && CatalogueGrid.isInside(grid, child)) {
                collectLinkBlocks(child, stats, doomed, grid);
                continue;
            }
            TextStats.Stat s = stats.of(child);
            if (s.text == 0) {
                continue;
            }
            // A lone link is an item's title or a call to action; a heading is a title: only lists of links go.
            boolean heading = child.normalName().length() == 2 && child.normalName().charAt(0) == 'h'
                    && Character.isDigit(child.normalName().charAt(1));
            if (!heading && s.linkDensity() > 0.6 && s.plainText() < 120 && s.paragraphs == 0
                    && child.getElementsByTag("a").size() >= 2) {
                doomed.add(child);
            } else {
                collectLinkBlocks(child, stats, doomed, grid);
            }
        }
    }
}
