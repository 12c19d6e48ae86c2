package dev.sluice.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/**
 * Writes the cleaned main-content HTML: the content element's children with presentational attributes, ids,
 * classes (except code-language classes), event handlers and inline styles removed, and URLs made absolute. Links
 * become their text unless links are wanted; images are dropped unless images are wanted.
 */
final class HtmlRenderer {

    private static final Set<String> KEPT_ATTRIBUTES = Set.of("href", "src", "alt", "title", "colspan", "rowspan",
            "start", "lang", "datetime", "scope", "headers", "cite");

    String render(Element content, boolean includeLinks, boolean includeImages) {
        Element copy = content.clone();
        if (!includeImages) {
            copy.select("img, picture").remove();
        }
        if (!includeLinks) {
            copy.select("a").unwrap();
        }
        for (Element e : copy.getAllElements()) {
            List<String> drop = new ArrayList<>();
            for (Attribute a : e.attributes()) {
                String key = a.getKey();
                boolean languageClass = key.equals("class") && (e.nameIs("code") || e.nameIs("pre"))
                        && !BlockRenderer.codeLanguage(e).isEmpty();
                if (!KEPT_ATTRIBUTES.contains(key) && !languageClass) {
                    drop.add(key);
                }
            }
            drop.forEach(e::removeAttr);
            if (e.hasAttr("href")) {
                e.attr("href", e.absUrl("href").isEmpty() ? e.attr("href") : e.absUrl("href"));
            }
            if (e.hasAttr("src")) {
                e.attr("src", e.absUrl("src").isEmpty() ? e.attr("src") : e.absUrl("src"));
            }
        }
        // Wrapper elements left empty by cleaning carry nothing.
        for (Element e : copy.select("div:empty, span:empty, section:empty, p:empty")) {
            e.remove();
        }
        copy.tagName("div");
        return copy.html().strip();
    }
}
