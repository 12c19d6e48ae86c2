package dev.sluice.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.nodes.Element;

/**
 * On a product page the product is where its name (the page's {@code <h1>}) is: a sidebar beside it holds the
 * shop's widgets (reviews of the store, other products, promotions), however much text they hold, so it goes. The
 * furniture pass keeps sidebars that hold much of a page's prose, since layout wrappers borrow the name; a sidebar
 * that does not hold the product's name is not such a wrapper.
 */
final class ProductSidebar {

    private static final Set<String> TOKENS = Set.of("sidebar", "aside");

    private ProductSidebar() {
    }

    static void remove(Element container) {
        if (container.selectFirst("h1") == null) {
            return;
        }
        List<Element> doomed = new ArrayList<>();
        for (Element e : container.getAllElements()) {
            if (e != container && isSidebar(e) && e.selectFirst("h1") == null && !insideAny(e, doomed)) {
                doomed.add(e);
            }
        }
        for (Element e : doomed) {
            e.remove();
        }
    }

    private static boolean insideAny(Element e, List<Element> doomed) {
        for (Element d : doomed) {
            for (Element p = e.parent(); p != null; p = p.parent()) {
                if (p == d) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isSidebar(Element e) {
        if (e.nameIs("aside") || "complementary".equalsIgnoreCase(e.attr("role"))) {
            return true;
        }
        return NameTokens.anyToken(e.id(), TOKENS) || NameTokens.anyToken(e.className(), TOKENS);
    }
}
