package dev.sluice.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.nodes.Element;

/**
 * On a product page, blocks named as disclaimers ("* Image simulated", "Availability may vary by region", "Results
 * measured in laboratory conditions") are the seller's fine print under its claims, not what the product is or does;
 * they go, unless they hold most of the content.
 */
final class ProductFinePrint {

    private static final Set<String> TOKENS = Set.of("disclaimer", "disclaimers");
    /** A block holding at least this share of the content's text is the content, whatever its name. */
    private static final double MOST_OF_CONTENT = 0.5;

    private ProductFinePrint() {
    }

    static void remove(Element container, TextStats stats) {
        int total = stats.of(container).text;
        List<Element> doomed = new ArrayList<>();
        collect(container, stats, total, doomed);
        for (Element e : doomed) {
            e.remove();
        }
    }

    private static void collect(Element parent, TextStats stats, int total, List<Element> doomed) {
        for (Element child : parent.children()) {
            if (stats.of(child).text == 0) {
                continue;
            }
            if (stats.of(child).text < MOST_OF_CONTENT * total && (NameTokens.anyToken(child.className(), TOKENS) || NameTokens.anyToken(child.id(), TOKENS))) {
                doomed.add(child);
            } else {
                collect(child, stats, total, doomed);
            }
        }
    }
}
