package dev.sluice.extract;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Element;

/**
 * Removes e-mail sign-up boxes whole: a form asking for an e-mail address comes with a heading and a line of pitch
 * ("Discover more from ...", "Subscribe to get the latest posts"), which once the form's controls are gone would be
 * left standing in the content as if the author had written them.
 *
 * <p>The box is the largest ancestor of the e-mail field that holds, besides the form, no more than a heading and
 * a sentence or two. A form inside a page of prose therefore takes nothing but itself: the surrounding article's
 * text is far beyond that allowance.
 */
final class SignupBoxes {

    /** Text (visible characters) a sign-up box may hold besides its form: a heading and a short pitch. */
    private static final int PITCH_CHARS = 220;
    /** A box holding this many text blocks besides the form is a section of the page, not a box. */
    private static final int PITCH_BLOCKS = 4;

    /** A form with this much text is a page-wide wrapper (ASP.NET wraps whole pages in one), not a sign-up form. */
    private static final int PAGE_FORM_CHARS = 1500;

    private SignupBoxes() {
    }

    /** Removes every sign-up box under {@code root}. */
    static void remove(Element root) {
        List<Element> boxes = new ArrayList<>();
        for (Element input : root.select("input[type=email]")) {
            Element form = input.closest("form");
            Element start = form != null && TextStats.countVisible(form.text()) < PAGE_FORM_CHARS ? form : input;
            if (start.parent() == null) {
                continue;
            }
            int formText = TextStats.countVisible(start.text());
            Element box = start;
            for (Element p = start.parent(); p != null && p != root && !isContentRoot(p); p = p.parent()) {
                if (TextStats.countVisible(p.text()) - formText > PITCH_CHARS || textBlocks(p, start) > PITCH_BLOCKS) {
                    break;
                }
                box = p;
                if (isDialog(p)) {
                    break; // a pop-up is a box of its own: what sits beside it is the page's
                }
            }
            boxes.add(box);
        }
        for (Element box : boxes) {
            if (box.parent() != null) {
                box.remove();
            }
        }
    }

    private static boolean isDialog(Element e) {
        String role = e.attr("role");
        return e.nameIs("dialog") || role.equalsIgnoreCase("dialog") || role.equalsIgnoreCase("alertdialog")
                || "true".equalsIgnoreCase(e.attr("aria-modal"));
    }

    private static boolean isContentRoot(Element e) {
        return e.nameIs("body") || e.nameIs("main") || e.nameIs("article") || "main".equalsIgnoreCase(e.attr("role"))
                || e.hasAttr("itemprop") && e.attr("itemprop").equalsIgnoreCase("articleBody");
    }

    /** Headings and paragraphs under {@code box} outside {@code form}. */
    private static int textBlocks(Element box, Element form) {
        int n = 0;
        for (Element e : box.select("p, h1, h2, h3, h4, h5, h6, li")) {
            if (e != form && !form.parents().contains(e) && e.closest("form") != form) {
                n++;
            }
        }
        return n;
    }
}
