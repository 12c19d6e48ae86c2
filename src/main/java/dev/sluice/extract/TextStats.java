package dev.sluice.extract;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Text measures of every element under a root, computed in one pass so that the cleaner and the main-content finder
 * never re-walk a subtree (calling {@code Element.text()} per element would make extraction quadratic).
 *
 * <p>Text is grouped into paragraphs: the inline text (text nodes and inline elements) directly under a block
 * element. A paragraph's weight says how much it looks like prose: its characters outside links, scaled down by its
 * link density, and scaled down further when it is a short fragment such as a menu label or a button.
 */
final class TextStats {

    /** Tags that flow inside a paragraph; everything else starts a new paragraph. */
    static final Set<String> INLINE_TAGS = Set.of("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em",
            "font", "i", "img", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
            "u", "var", "wbr", "br", "label", "del", "ins", "strike", "tt", "big", "nobr", "picture", "source");

    /** Whether any child of {@code e} starts a block of its own (is not an inline tag). */
    static boolean hasBlockChild(Element e) {
        for (Element child : e.children()) {
            if (!INLINE_TAGS.contains(child.normalName())) {
                return true;
            }
        }
        return false;
    }

    /** Shorter paragraphs are labels, buttons and menu entries more often than prose. */
    private static final int SHORT_PARAGRAPH = 30;

    static final class Stat {
        /** Non-whitespace characters of all text below. */
        int text;
        /** Of which inside links. */
        int linkText;
        /** Sum of the paragraph weights below. */
        double weight;
        /** Paragraphs below that look like prose (long enough, few links). */
        int paragraphs;
        // Inline text not yet assigned to a paragraph (bubbles up through inline elements).
        int inlineText;
        int inlineLinkText;

        double linkDensity() {
            return text == 0 ? 0 : (double) linkText / text;
        }

        int plainText() {
            return text - linkText;
        }
    }

    private static final Stat EMPTY = new Stat();
    private final Map<Element, Stat> stats;

    private TextStats(Map<Element, Stat> stats) {
        this.stats = stats;
    }

    Stat of(Element e) {
        Stat s = stats.get(e);
        return s == null ? EMPTY : s;
    }

    static TextStats measure(Element root) {
        Map<Element, Stat> map = new IdentityHashMap<>(1024);
        NodeTraversor.traverse(new NodeVisitor() {
            private int linkDepth;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e) {
                    map.put(e, new Stat());
                    if (e.nameIs("a")) {
                        linkDepth++;
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof TextNode t) {
                    Stat parent = node.parent() instanceof Element p ? map.get(p) : null;
                    if (parent == null) {
                        return;
                    }
                    int len = countVisible(t.getWholeText());
                    parent.text += len;
                    parent.inlineText += len;
                    if (linkDepth > 0) {
                        parent.linkText += len;
                        parent.inlineLinkText += len;
                    }
                } else if (node instanceof Element e) {
                    if (e.nameIs("a")) {
                        linkDepth--;
                    }
                    Stat s = map.get(e);
                    boolean inline = INLINE_TAGS.contains(e.normalName());
                    if (!inline && s.inlineText > 0) {
                        closeParagraph(s);
                    }
                    if (e != root && e.parent() != null) {
                        Stat parent = map.get(e.parent());
                        if (parent != null) {
                            parent.text += s.text;
                            parent.linkText += s.linkText;
                            parent.weight += s.weight;
                            parent.paragraphs += s.paragraphs;
                            if (inline) {
                                parent.inlineText += s.inlineText;
                                parent.inlineLinkText += s.inlineLinkText;
                            }
                        }
                    }
                }
            }
        }, root);
        return new TextStats(map);
    }

    private static void closeParagraph(Stat s) {
        int len = s.inlineText;
        int plain = len - s.inlineLinkText;
        double density = (double) s.inlineLinkText / len;
        double w = plain * (1 - density);
        if (len < SHORT_PARAGRAPH) {
            w *= 0.3;
        } else if (density < 0.5) {
            s.paragraphs++;
        }
        s.weight += w;
        s.inlineText = 0;
        s.inlineLinkText = 0;
    }

    static int countVisible(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c > ' ' && c != '\u00a0') {
                n++;
            }
        }
        return n;
    }
}
