package dev.sluice.extract;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeFilter;

/**
 * Removes from a DOM what a reader never sees or never came for.
 *
 * <p>{@link #removeInvisible} runs on every extraction: scripts, styles, embedded objects, form controls, and every
 * element a browser would not show (inline {@code display:none} / {@code visibility:hidden} / zero opacity or font
 * size, the {@code hidden} attribute, {@code aria-hidden="true"}, screen-reader-only classes). Hidden text is the
 * classic route for prompt injection into whatever reads the extraction, so it must never reach the output.
 *
 * <p>{@link #removeBoilerplate} runs when the main content is detected automatically. It drops page furniture using
 * the signals sites share across the web: semantic elements ({@code nav}, {@code header}, {@code footer},
 * {@code aside}), ARIA landmark roles, and class/id name tokens (nav, menu, footer, sidebar, cookie, consent, share,
 * social, related, comment, newsletter, ad...). A guard keeps any element that holds a large share of the page's
 * prose, because layout wrappers sometimes carry such names ("page-with-sidebar").
 */
final class BoilerplateCleaner {

    private static final Set<String> NON_CONTENT_TAGS = Set.of("script", "style", "noscript", "template", "iframe",
            "object", "embed", "svg", "canvas", "link", "meta", "base", "input", "select", "textarea", "option",
            "datalist", "dialog", "audio", "video", "map", "area", "frame", "frameset", "math", "head", "title",
            "slot", "portal", "applet");
    private static final Pattern HIDDEN_STYLE = Pattern.compile(
            "(?:^|;)\\s*(?:display\\s*:\\s*none|visibility\\s*:\\s*(?:hidden|collapse)|opacity\\s*:\\s*0(?:\\.0+)?\\s*(?:!important)?\\s*(?:;|$)"
                    // Text too small to read (0, or at most one pixel/point).
                    + "|font-size\\s*:\\s*(?:0(?:px|em|rem|pt|%)?|0?\\.\\d+(?:px|pt)|1(?:px|pt))\\s*(?:!important)?\\s*(?:;|$)"
                    // Invisible ink and clipped-away boxes.
                    + "|color\\s*:\\s*transparent|clip\\s*:\\s*rect\\(\\s*0|clip-path\\s*:\\s*inset\\(\\s*(?:50|100)%"
                    + "|transform\\s*:\\s*scale\\(\\s*0\\s*\\)"
                    // Collapsed to nothing: "height:0; overflow:hidden", in either order.
                    + "|(?:max-)?height\\s*:\\s*0(?:px)?\\s*(?:!important)?\\s*;.*overflow\\s*:\\s*hidden"
                    + "|overflow\\s*:\\s*hidden.*;\\s*(?:max-)?height\\s*:\\s*0(?:px)?\\s*(?:!important)?\\s*(?:;|$)"
                    // Moved off screen: the classic image-replacement and injection trick.
                    + "|(?:left|text-indent|top)\\s*:\\s*-\\d{4,}px)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern UNRENDERED_TEMPLATE = Pattern.compile("\\s*(?:\\{\\{[^{}]*\\}\\}\\s*)+");
    private static final Set<String> HIDDEN_CLASSES = Set.of("sr-only", "visually-hidden", "visuallyhidden",
            "screen-reader-text", "screen-reader-only", "sr-text", "a11y-hidden", "hide-text", "is-hidden",
            "u-hidden", "hidden-xs-up", "d-none", "display-none", "invisible", "hidden");

    /**
     * Name tokens of page furniture that can double as a layout wrapper's name ("page-with-sidebar"), so they are
     * removed only when the element does not hold much of the page's prose.
     */
    private static final Set<String> LAYOUT_TOKENS = Set.of("nav", "navbar", "navigation", "navmenu", "menu",
            "menubar", "megamenu", "submenu", "breadcrumb", "breadcrumbs", "sidebar", "related", "toolbar",
            "pagination", "pager", "skip", "skiplink", "masthead", "topbar", "tagcloud", "tags", "recommended",
            "recommendations", "trending", "popular", "follow", "toc", "utility", "announcement", "similar", "upsell",
            "upsells", "crosssell", "recentlyviewed", "bio", "filter", "filters", "refinements",
            "sortby");
    private static final List<String> LAYOUT_PREFIXES = List.of("nav", "menu", "breadcrumb", "sidebar", "related");
    /** Name tokens of consent machinery: never content, whatever share of the page it holds. */
    private static final Set<String> CONSENT_TOKENS = Set.of("cookie", "cookies", "consent", "gdpr", "onetrust",
            "cookiebot", "usercentrics", "didomi", "truste", "trustarc", "quantcast");
    /** Name tokens of things laid over or beside the content; removed unless they hold most of the page's prose. */
    private static final Set<String> NOISE_TOKENS = Set.of("share", "sharing",
            "sharebar", "sharethis", "addthis", "social", "socials", "newsletter", "subscribe", "subscription",
            "signup", "promo", "promos", "advert", "advertisement", "advertising", "ads", "ad", "adsbygoogle",
            "adslot", "dfp", "sponsor", "sponsored", "popup", "modal", "outbrain", "taboola", "offcanvas", "drawer",
            "login", "signin");
    private static final List<String> NOISE_PREFIXES = List.of("social", "newsletter", "subscri", "advert",
            "sponsor", "sharebutton", "shareicon", "sharelink");

    /** How sure a furniture verdict is. */
    private enum Furniture {
        /** Not furniture. */
        NONE,
        /** Furniture unless it holds much of the page's prose. */
        LIKELY,
        /** Furniture unless it holds most of the page's prose (then the name is a misnomer). */
        CERTAIN,
        /** A declared landmark outside the content (nav, footer...) or consent machinery: furniture whatever it holds. */
        LANDMARK
    }

    /** Comments and replies are furniture on an article but the content itself on a forum. */
    private static final Set<String> COMMENT_TOKENS = Set.of("comment", "comments", "commentlist", "commentlisting",
            "commentform", "commentsection", "respond", "disqus");
    /** On a product page, customer reviews are the comments: other people's words, not the product's. */
    private static final Set<String> PRODUCT_COMMENT_TOKENS = Set.of("comment", "comments", "commentlist", "respond",
            "disqus", "review", "reviews", "ratings", "testimonials", "ugc", "qna", "questions");
    /** Words that, before "header"/"footer", name the page's own header or footer rather than a card's. */
    private static final Set<String> PAGE_LEVEL = Set.of("site", "page", "global", "main", "top", "bottom", "layout",
            "app", "l", "g", "wp", "primary", "pre", "mobile", "desktop", "sticky");
    private static final Set<String> LANDMARK_ROLES = Set.of("navigation", "banner", "contentinfo", "complementary",
            "search", "menu", "menubar", "toolbar", "dialog", "alertdialog");

    /** An article's own header links its title, perhaps its author and section; a menu links more. */
    private static final int ARTICLE_HEADER_LINKS = 3;
    /** A form with less text than this is a form to fill in, not a page wrapped in a form. */
    private static final int FORM_TEXT_LIMIT = 1500;
    /** A style-hidden element holding this share of the page's text is a fade-in wrapper, not hidden text. */
    private static final double REVEAL_WRAPPER_SHARE = 0.5;
    /**
     * A page waiting to be revealed holds more than a snippet (a couple of sentences at least) and is built of
     * blocks (paragraphs, headings, lists...): a few hidden words, or one hidden sentence, is not one, however
     * little else the page shows.
     */
    private static final int REVEAL_WRAPPER_MIN_CHARS = 100;
    private static final String REVEAL_WRAPPER_BLOCKS =
            "p, h1, h2, h3, h4, h5, h6, ul, ol, dl, table, article, main, section, blockquote, pre, figure";
    /** Without its comments, a page with less prose weight than this (a few sentences) is a discussion. */
    private static final double DISCUSSION_REST_WEIGHT = 300;
    /** Even an element with a "certain" furniture name keeps its place if it holds this share of the prose. */
    private static final double MOSTLY_PROSE_SHARE = 0.5;
    /** A layout-named element with this many paragraphs and less link density is written content. */
    private static final int PROSE_PARAGRAPHS = 3;
    private static final double PROSE_LINK_DENSITY = 0.1;
    /** An element keeps its place if it holds at least this share of the page's prose weight. */
    private static final double PROTECTED_SHARE = 0.35;

    /**
     * Removes comments, non-content elements and everything hidden.
     *
     * @param keepNoscript true to show {@code <noscript>} content as a browser without scripting would; used only
     *                     when the scripted page shows (almost) nothing
     */
    void removeInvisible(Element root, boolean keepNoscript) {
        revealStreamedBoundaries(root);
        removeInputForms(root);
        int pageText = TextStats.countVisible(root.text());
        List<Node> doomed = new ArrayList<>();
        NodeTraversor.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof Comment) {
                    doomed.add(node);
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (node instanceof TextNode t && isUnrenderedTemplate(t.getWholeText())) {
                    // "{{price.total}}": client-side template syntax a script was meant to fill in.
                    doomed.add(node);
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (node instanceof TextNode t && isBareUuid(t.getWholeText()) && !inCode(t)) {
                    // A UUID standing alone outside code: decoy text some shops interleave with labels
                    // ("Sponsored") and hide from readers with generated class rules, to stop copying.
                    doomed.add(node);
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (node instanceof Element e && e != root) {
                    if (keepNoscript && e.nameIs("noscript")) {
                        return FilterResult.CONTINUE;
                    }
                    if (NON_CONTENT_TAGS.contains(e.normalName()) || isHidden(e) && !isRevealWrapper(e, pageText)) {
                        doomed.add(e);
                        return FilterResult.SKIP_ENTIRELY;
                    }
                }
                return FilterResult.CONTINUE;
            }
        }, root);
        for (Node n : doomed) {
            n.remove();
        }
        // Buttons are controls ("Add to cart", "Menu"); keep only the long ones, which are accordion headings.
        for (Element button : root.getElementsByTag("button")) {
            if (TextStats.countVisible(button.text()) < 25) {
                button.remove();
            } else {
                button.unwrap();
            }
        }
    }

    /** The text is nothing but template placeholders; the regular expression runs only on texts that hold one. */
    private static boolean isUnrenderedTemplate(String text) {
        return text.contains("{{") && UNRENDERED_TEMPLATE.matcher(text).matches();
    }

    private static boolean inCode(Node node) {
        for (Element p = node.parent() instanceof Element e ? e : null; p != null; p = p.parent()) {
            if (p.nameIs("code") || p.nameIs("pre") || p.nameIs("kbd") || p.nameIs("samp") || p.nameIs("tt")) {
                return true;
            }
        }
        return false;
    }

    /** The whole text is one UUID (8-4-4-4-12 hex digits), perhaps with whitespace around it. */
    static boolean isBareUuid(String text) {
        String t = text.length() < 36 ? text : text.strip();
        if (t.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = t.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Forms with their controls (contact, sign-up, search, login) are things to fill in, not to read; once the
     * controls are gone only their labels would be left. A form that holds a lot of text is a page-wide wrapper
     * (ASP.NET wraps whole pages in one) and stays.
     */
    private static void removeInputForms(Element root) {
        for (Element form : root.getElementsByTag("form")) {
            if (form.parent() != null && !form.select("input:not([type=hidden]), textarea, select").isEmpty()
                    && TextStats.countVisible(form.text()) < FORM_TEXT_LIMIT) {
                form.remove();
            }
        }
        root.getElementsByTag("label").remove();
    }

    /**
     * React streaming SSR sends late content as {@code <div hidden id="S:n">} and a script moves it over its
     * placeholder: a suspense boundary's {@code <template id="B:n">} ({@code $RC}) or a segment's
     * {@code <template id="P:n">} ({@code $RS}), whose content may itself hold further placeholders. Do that move
     * here, so the content shows where the browser shows it.
     */
    private static void revealStreamedBoundaries(Element root) {
        for (Element segment : root.select("div[hidden][id^=S:]")) {
            String n = segment.id().substring(2);
            Element placeholder = root.getElementById("B:" + n);
            if (placeholder == null) {
                placeholder = root.getElementById("P:" + n);
            }
            if (placeholder != null && placeholder.nameIs("template")) {
                for (Node child : new ArrayList<>(segment.childNodes())) {
                    placeholder.before(child);
                }
                placeholder.remove();
                segment.remove();
            }
        }
    }

    /**
     * Pages that fade in on load ship their whole body at opacity 0 or visibility hidden until a script reveals
     * it; content-gating scripts do the same with {@code display:none}. Such a wrapper holds most of the page's
     * text, and more than a snippet of it, in blocks; a hidden snippet planted for a model is neither, even on a
     * page that shows nothing else (and hidden elements inside the wrapper stay hidden).
     */
    private static boolean isRevealWrapper(Element e, int pageText) {
        if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden")) || pageText == 0) {
            return false;
        }
        String style = e.attr("style").toLowerCase(Locale.ROOT);
        if (!style.contains("opacity") && !style.contains("visibility") && !style.contains("display")) {
            return false;
        }
        int text = TextStats.countVisible(e.text());
        return text >= REVEAL_WRAPPER_MIN_CHARS && text >= REVEAL_WRAPPER_SHARE * pageText
                && e.selectFirst(REVEAL_WRAPPER_BLOCKS) != null;
    }

    static boolean isHidden(Element e) {
        if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))) {
            return true;
        }
        if (e.nameIs("input") && "hidden".equalsIgnoreCase(e.attr("type"))) {
            return true;
        }
        String style = e.attr("style");
        if (!style.isEmpty() && HIDDEN_STYLE.matcher(style).find()) {
            return true;
        }
        String cls = e.className();
        if (!cls.isEmpty()) {
            List<String> names = NameTokens.names(cls.toLowerCase(Locale.ROOT));
            for (String name : names) {
                if (HIDDEN_CLASSES.contains(name) || isScreenReaderOnly(name)) {
                    // "hidden md:block" / "d-none d-lg-block" is shown at other screen sizes: not hidden.
                    return !hasResponsiveShow(names);
                }
            }
        }
        return false;
    }

    /**
     * Design systems prefix their screen-reader-only class ("u-sr-only", "eds-is-hidden-accessible",
     * "v6-visually-hidden", "slds-assistive-text"): text for assistive technology, never shown on screen.
     */
    static boolean isScreenReaderOnly(String name) {
        if (name.startsWith("not-")) {
            return false;
        }
        return name.contains("visually-hidden") || name.contains("visuallyhidden") || name.contains("screen-reader")
                || name.endsWith("-sr-only") || name.endsWith("_sr-only") || name.endsWith("hidden-accessible")
                || name.endsWith("assistive-text");
    }

    private static boolean hasResponsiveShow(List<String> names) {
        for (String n : names) {
            if (n.contains(":") || (n.startsWith("d-") && !n.equals("d-none")) || n.startsWith("visible-")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes page furniture under {@code root}.
     *
     * @param type the page type guess: a forum's replies are its content, a product page's reviews are not
     */
    void removeBoilerplate(Element root, PageType type) {
        TextStats stats = TextStats.measure(root);
        double pageWeight = stats.of(root).weight;
        Set<String> commentTokens = type == PageType.PRODUCT ? PRODUCT_COMMENT_TOKENS : COMMENT_TOKENS;
        boolean commentsAreContent = type == PageType.FORUM
                || type != PageType.PRODUCT && commentsHoldThePage(root, stats, pageWeight, commentTokens);
        List<Element> doomed = new ArrayList<>();
        Deque<Element> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Element e = stack.pop();
            if (e != root) {
                if (!commentsAreContent && isCommentSection(e, commentTokens)) {
                    doomed.add(e);
                    continue;
                }
                Furniture verdict = furniture(e, stats);
                double share = pageWeight > 0 ? stats.of(e).weight / pageWeight : 0;
                if (verdict == Furniture.LANDMARK
                        || verdict == Furniture.CERTAIN && share < MOSTLY_PROSE_SHARE
                        || verdict == Furniture.LIKELY && share < PROTECTED_SHARE && !isProse(stats.of(e))) {
                    doomed.add(e);
                    continue;
                }
            }
            for (int i = e.childrenSize() - 1; i >= 0; i--) {
                stack.push(e.child(i));
            }
        }
        for (Element e : doomed) {
            if (Boolean.getBoolean("dbg") && e.text().length() > 100) System.err.println("BOILER " + e.cssSelector() + " " + e.text().length() + " " + furniture(e, stats) + " " + e.className());
            e.remove();
        }
    }

    /** Several real paragraphs and few links: text written to be read, whatever the element is called. */
    private static boolean isProse(TextStats.Stat s) {
        return s.paragraphs >= PROSE_PARAGRAPHS && s.linkDensity() < PROSE_LINK_DENSITY;
    }

    /**
     * Comments are furniture next to an article, but on a discussion page (a shared link, a question) they are
     * what the page is for. Tell the two apart by what is left without them: a page with little prose outside its
     * comment sections is a discussion.
     */
    private static boolean commentsHoldThePage(Element root, TextStats stats, double pageWeight, Set<String> tokens) {
        double commentWeight = 0;
        Deque<Element> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Element e = stack.pop();
            if (e != root && isCommentSection(e, tokens)) {
                commentWeight += stats.of(e).weight;
                continue;
            }
            for (Element child : e.children()) {
                stack.push(child);
            }
        }
        double rest = pageWeight - commentWeight;
        return commentWeight > 0 && rest < DISCUSSION_REST_WEIGHT;
    }

    private static boolean isCommentSection(Element e, Set<String> tokens) {
        if (e.nameIs("main") || e.nameIs("article") || e.nameIs("body")) {
            return false;
        }
        return hasCommentName(e.id(), tokens) || hasCommentName(e.className(), tokens);
    }

    private static boolean hasCommentName(String names, Set<String> tokens) {
        if (names.isEmpty() || !mentionsAny(names.toLowerCase(Locale.ROOT), tokens)) {
            return false;
        }
        for (String name : NameTokens.names(names)) {
            if (isStateModifier(name)) {
                continue;
            }
            for (String token : NameTokens.tokens(name)) {
                String t = token.toLowerCase(Locale.ROOT);
                if (tokens.contains(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether any of the words occurs in the lower-cased names at all: most elements' names hold none, and this
     * costs a few substring searches where splitting the names into tokens costs allocations.
     */
    private static boolean mentionsAny(String lowerCaseNames, Set<String> words) {
        for (String word : words) {
            if (lowerCaseNames.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static Furniture furniture(Element e, TextStats stats) {
        String tag = e.normalName();
        String role = e.attr("role").toLowerCase(Locale.ROOT);
        if (tag.equals("main") || tag.equals("article") || role.equals("main") || tag.equals("body")) {
            return Furniture.NONE;
        }
        // Landmarks are declared on purpose; they lose to a declared main or article only.
        Furniture landmark = switch (tag) {
            case "nav", "footer" -> Furniture.CERTAIN;
            case "header" -> isCardHeader(e) ? Furniture.NONE
                    : !insideContent(e) || stats.of(e).linkDensity() > 0.5 ? Furniture.CERTAIN : Furniture.NONE;
            case "aside" -> !insideContent(e) || stats.of(e).linkDensity() > 0.3 ? Furniture.CERTAIN : Furniture.NONE;
            case "form" -> e.selectFirst("[type=password], [type=email], [type=search], [role=search]") != null
                    ? Furniture.CERTAIN : Furniture.NONE;
            default -> Furniture.NONE;
        };
        if (landmark == Furniture.CERTAIN) {
            return e.selectFirst("main, article, [role=main]") != null ? Furniture.LIKELY : Furniture.LANDMARK;
        }
        if (!role.isEmpty() && LANDMARK_ROLES.contains(role)) {
            // Roles are misapplied more often than elements ("navigation" on a whole tabbed panel): guarded.
            boolean outerOnly = role.equals("banner") || role.equals("complementary");
            if (!outerOnly || !insideContent(e)) {
                return Furniture.CERTAIN;
            }
        }
        // Like the <header> element: a header inside the main content is the article's own (title, standfirst).
        boolean contentHeader = insideContent(e) && stats.of(e).linkDensity() <= 0.5;
        Furniture byId = furnitureName(e.id(), contentHeader);
        Furniture byClass = furnitureName(e.className(), contentHeader);
        return byId.compareTo(byClass) >= 0 ? byId : byClass;
    }

    private static Furniture furnitureName(String names, boolean headerIsContent) {
        if (names.isEmpty()) {
            return Furniture.NONE;
        }
        Furniture verdict = Furniture.NONE;
        for (String name : NameTokens.names(names)) {
            if (isStateModifier(name)) {
                continue;
            }
            if (isAuthorProfile(name)) {
                verdict = Furniture.LIKELY;
            }
            String[] tokens = NameTokens.tokens(name);
            for (int i = 0; i < tokens.length; i++) {
                String t = tokens[i].toLowerCase(Locale.ROOT);
                if (t.isEmpty()) {
                    continue;
                }
                if (CONSENT_TOKENS.contains(t) || t.startsWith("cookie") || t.startsWith("consent")) {
                    return Furniture.LANDMARK;
                }
                if (NOISE_TOKENS.contains(t) || startsWithAny(t, NOISE_PREFIXES)) {
                    verdict = Furniture.CERTAIN;
                }
                boolean pageHeaderOrFooter = (t.equals("footer") || t.equals("header") && !headerIsContent)
                        && (i == 0 || PAGE_LEVEL.contains(tokens[i - 1].toLowerCase(Locale.ROOT)));
                if (verdict == Furniture.NONE && (LAYOUT_TOKENS.contains(t) || startsWithAny(t, LAYOUT_PREFIXES) || pageHeaderOrFooter)) {
                    verdict = Furniture.LIKELY;
                }
            }
        }
        return verdict;
    }

    /** "author-bio", "about-the-author", "authorBox": the writer's profile, not the article. */
    private static boolean isAuthorProfile(String name) {
        String joined = NameTokens.joinedLowerCase(name);
        return joined.contains("authorbio") || joined.contains("authorbox") || joined.contains("aboutauthor")
                || joined.contains("abouttheauthor") || joined.contains("authorinfo") || joined.contains("authorcard")
                || joined.contains("authorprofile") || joined.contains("authordetails")
                // A forum poster's statistics panel (join date, post count, reactions) and signature.
                || joined.contains("userextras") || joined.contains("userstats") || joined.contains("userstatistics")
                || joined.contains("postprofile") || joined.contains("posterstats") || joined.contains("memberstats")
                || joined.equals("signature") || joined.contains("postsignature") || joined.contains("usersignature");
    }

    private static boolean startsWithAny(String token, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (token.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** "has-sidebar", "no-comments", "with-nav": classes that describe a page's state, not the element itself. */
    private static boolean isStateModifier(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("has-") || n.startsWith("has_") || n.startsWith("is-") || n.startsWith("no-")
                || n.startsWith("with-") || n.startsWith("without-") || n.startsWith("show-") || n.startsWith("hide-")
                || n.startsWith("enable-") || n.startsWith("disable-");
    }

    /**
     * The header of an {@code <article>} is that article's title (and date or byline): in a list of articles each
     * one's title is a link, so its link density says nothing. A page header does not sit inside an article; a
     * header that holds more than a title's few links is a menu all the same.
     */
    private static boolean isCardHeader(Element header) {
        for (Element p = header.parent(); p != null; p = p.parent()) {
            if (p.nameIs("article")) {
                return header.getElementsByTag("a").size() <= ARTICLE_HEADER_LINKS;
            }
            if (p.nameIs("main") || p.nameIs("body")) {
                return false;
            }
        }
        return false;
    }

    private static boolean insideContent(Element e) {
        for (Element p = e.parent(); p != null; p = p.parent()) {
            if (p.nameIs("main") || p.nameIs("article") || "main".equalsIgnoreCase(p.attr("role"))) {
                return true;
            }
        }
        return false;
    }
}
