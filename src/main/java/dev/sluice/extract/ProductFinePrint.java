package dev.sluice.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * On a product page, blocks named as disclaimers ("* Image simulated", "Availability may vary by region", "Results
 * measured in laboratory conditions") are the seller's fine print under its claims, not what the product is or does;
 * they go, unless they hold most of the content.
 */
final class ProductFinePrint {

    private static final Set<String> TOKENS = Set.of("disclaimer", "disclaimers");
    private static final Pattern TOKEN_SPLIT = Pattern.compile("[-_\\s:./]+|(?<=[a-z])(?=[A-Z])");
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
            if (stats.of(child).text < MOST_OF_CONTENT * total && (named(child.className()) || named(child.id()))) {
                doomed.add(child);
            } else {
                collect(child, stats, total, doomed);
            }
        }
    }

    private static boolean named(String names) {
        if (names.isEmpty()) {
            return false;
        }
        for (String token : TOKEN_SPLIT.split(names)) {
            if (TOKENS.contains(token.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
