package dev.sluice.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.nodes.Element;

/**
 * Narrows an article's content container to the article itself.
 *
 * <p>The main-content finder stops where prose spreads over several children, which on news and blog pages is
 * often a wrapper that also holds what follows the story: "more stories" rails, teaser cards, newsletter boxes,
 * author bios, disclaimers, contact and legal blocks. Those carry no name this extractor could trust, so they are
 * recognised by structure alone:
 * <ol>
 *   <li>The article body is the element with the densest run of paragraphs directly under it (a declared
 *       {@code itemprop="articleBody"} wins when it holds a fair share of the prose).</li>
 *   <li>Everything that comes <em>after</em> the body, at every level from the body up to the container, is a
 *       candidate; blocks before it (headline, byline, standfirst) are left alone.</li>
 *   <li>A candidate goes unless it is substantial prose of its own (several real paragraphs, few links, a fair
 *       share of the body's weight), when it is a continuation of the article. Links, repeated card structure,
 *       short fragments instead of sentences, or a small size next to the body each mark it as furniture.</li>
 * </ol>
 * Site names, ids and phrases are never looked at, so the rule holds on sites it has never seen.
 */
final class ArticleNarrower {

    /** Blocks that hold the article's own text; their weight directly under a parent measures a run of paragraphs. */
    private static final Set<String> TEXT_BLOCKS = Set.of("p", "blockquote", "pre", "ul", "ol", "dl", "table",
            "figure", "h2", "h3", "h4", "h5", "h6");
    private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

    /** Below this body weight (a few sentences) the page is not an article worth narrowing. */
    private static final double MIN_BODY_WEIGHT = 600;
    private static final int MIN_BODY_PARAGRAPHS = 3;
    /** A declared articleBody is used when it holds at least this share of the container's prose. */
    private static final double DECLARED_BODY_SHARE = 0.5;
    /** A block after the body that is prose of its own: paragraphs, link density, share of the body's weight. */
    private static final int CONTINUATION_PARAGRAPHS = 2;
    private static final double CONTINUATION_LINK_DENSITY = 0.15;

    /**
     * Where the article is when the finder's descent went elsewhere: a page whose rails of teaser cards hold more
     * text than the story draws the descent into them. When the container the finder chose does not hold the
     * article body (the densest run of paragraphs) and is itself mostly cards or misses the headline, the article
     * is the body's nearest ancestor that also holds the headline.
     */
    Element relocate(Element page, Element chosen, TextStats stats) {
        Element body = articleBody(page, stats);
        if (body == null || chosen == body || body.parents().contains(chosen)) {
            return chosen;
        }
        Element headline = page.selectFirst("h1");
        boolean strayed = RepeatedCards.holdsCards(chosen, stats)
                || headline != null && chosen != headline && !headline.parents().contains(chosen);
        if (!strayed) {
            return chosen;
        }
        if (headline == null) {
            return body;
        }
        for (Element a = body; a != null && a != page; a = a.parent()) {
            if (headline.parents().contains(a)) {
                return a;
            }
        }
        return body;
    }

    /** Removes what follows the article body inside {@code container}; returns the number of blocks removed. */
    int narrow(Element container, TextStats stats) {
        Element body = articleBody(container, stats);
        if (body == null) {
            return 0;
        }
        List<Element> doomed = new ArrayList<>();
        trailingInside(body, stats, doomed);
        for (Element level = body; level != container && level.parent() != null; level = level.parent()) {
            List<Element> after = new ArrayList<>();
            for (Element sibling = level.nextElementSibling(); sibling != null; sibling = sibling.nextElementSibling()) {
                after.add(sibling);
            }
            judge(after, stats, level, doomed);
        }
        for (Element e : doomed) {
            e.remove();
        }
        return doomed.size();
    }

    /** The element holding the densest run of paragraphs, or null when there is no article-sized run. */
    static Element articleBody(Element container, TextStats stats) {
        double total = stats.of(container).weight;
        Element declared = container.selectFirst("[itemprop=articleBody]");
        if (declared != null && stats.of(declared).weight >= DECLARED_BODY_SHARE * total) {
            return stats.of(declared).paragraphs >= MIN_BODY_PARAGRAPHS ? declared : null;
        }
        Element best = null;
        double bestWeight = 0;
        for (Element e : container.getAllElements()) {
            if (TEXT_BLOCKS.contains(e.normalName()) || TextStats.INLINE_TAGS.contains(e.normalName())) {
                continue;
            }
            double direct = 0;
            int paragraphs = 0;
            for (Element child : e.children()) {
                if (TEXT_BLOCKS.contains(child.normalName())) {
                    TextStats.Stat s = stats.of(child);
                    direct += s.weight;
                    paragraphs += s.paragraphs;
                }
            }
            if (paragraphs >= MIN_BODY_PARAGRAPHS && direct > bestWeight) {
                bestWeight = direct;
                best = e;
            }
        }
        return bestWeight >= MIN_BODY_WEIGHT ? best : null;
    }

    /** Inside the body itself: container blocks (rails, boxes) after its last text block, with their headings. */
    private static void trailingInside(Element body, TextStats stats, List<Element> doomed) {
        List<Element> after = new ArrayList<>();
        for (int i = body.childrenSize() - 1; i >= 0; i--) {
            Element child = body.child(i);
            if (TEXT_BLOCKS.contains(child.normalName()) && !HEADINGS.contains(child.normalName())) {
                break;
            }
            after.add(0, child);
        }
        judge(after, stats, null, doomed);
    }

    /**
     * Decides the blocks that follow the body at one level. A heading goes or stays with the block it introduces
     * (the next non-heading block); text blocks of the article's own kind stay unless they are mostly links.
     */
    private static void judge(List<Element> after, TextStats stats, Element onPath, List<Element> doomed) {
        boolean nextKept = false;
        for (int i = after.size() - 1; i >= 0; i--) {
            Element e = after.get(i);
            TextStats.Stat s = stats.of(e);
            if (s.text == 0) {
                continue;
            }
            boolean keep;
            if (HEADINGS.contains(e.normalName())) {
                keep = nextKept;
            } else {
                keep = onPath != null && sameShape(e, onPath) || isContinuation(e, s, stats);
                nextKept = keep;
            }
            if (!keep) {
                doomed.add(e);
            }
        }
    }

    private static boolean isContinuation(Element e, TextStats.Stat s, TextStats stats) {
        if (s.linkDensity() > CONTINUATION_LINK_DENSITY) {
            return false;
        }
        if (e.nameIs("p") || e.nameIs("blockquote") || e.nameIs("pre") || e.nameIs("table") || e.nameIs("figure")) {
            // The article's own kind of block, sitting after the body at an outer level: a closing paragraph.
            return s.paragraphs > 0 || e.nameIs("pre") || e.nameIs("table");
        }
        return s.paragraphs >= CONTINUATION_PARAGRAPHS && !RepeatedCards.holdsCards(e, stats);
    }

    /** The next section of a sectioned article: same tag and classes as the block that holds the body. */
    private static boolean sameShape(Element e, Element onPath) {
        return e.normalName().equals(onPath.normalName()) && e.className().equals(onPath.className());
    }
}
