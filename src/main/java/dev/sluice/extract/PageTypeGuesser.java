package dev.sluice.extract;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * Guesses the kind of page from what holds across sites: the schema.org types the page declares, its og:type, the
 * shape of its URL path (/forum/, /docs/, /product/, a dated slug), and a few DOM counts. Declared types win over
 * URL shape, which wins over DOM shape; an unclear page is an article, the most common kind.
 */
final class PageTypeGuesser {

    private static final Set<String> FORUM_TYPES = Set.of("discussionforumposting", "qapage");
    private static final Set<String> PRODUCT_TYPES = Set.of("product", "productgroup", "productmodel", "individualproduct");
    private static final Set<String> COLLECTION_TYPES = Set.of("collectionpage", "offercatalog", "itemlist");
    private static final Set<String> LISTING_TYPES = Set.of("searchresultspage", "blog");
    private static final Set<String> DOC_TYPES = Set.of("techarticle", "apireference", "softwaresourcecode");
    private static final Set<String> ARTICLE_TYPES = Set.of("article", "newsarticle", "blogposting", "reportagenewsarticle",
            "analysisnewsarticle", "opinionnewsarticle", "scholarlyarticle", "liveblogposting", "recipe", "howto");
    private static final Set<String> SERVICE_TYPES = Set.of("service", "localbusiness", "professionalservice",
            "softwareapplication", "webapplication", "organization", "corporation");

    private static final Pattern FORUM_PATH = Pattern.compile(
            "/(?:forums?|threads?|topics?|t|discussions?|community|communities|questions|viewtopic|showthread|boards?|comments|r)(?:/|\\.|$|\\?)");
    private static final Pattern DOC_PATH = Pattern.compile(
            "/(?:docs?|documentation|api|reference|manual|guides?|tutorials?|learn|handbook|wiki|sdk|kb|developers?)(?:/|$)|readthedocs|/docs\\.");
    private static final Pattern PRODUCT_PATH = Pattern.compile("/(?:products?|p|dp|item|itm|sku|gp/product)/");
    private static final Pattern COLLECTION_PATH = Pattern.compile(
            "/(?:collections?|categor(?:y|ies)|c|shop|catalog|store|department|brands?)(?:/|$)");
    private static final Pattern LISTING_PATH = Pattern.compile(
            "/(?:blog|news|articles|posts|tags?|archives?|page/\\d+|search|latest|stories|press|events)/?$");
    private static final Pattern DATED_PATH = Pattern.compile("/(?:19|20)\\d{2}/\\d{1,2}/");
    private static final Pattern SERVICE_PATH = Pattern.compile(
            "/(?:services?|solutions?|pricing|features?|about(?:-us)?|contact(?:-us)?|platform|enterprise|industries|why-[\\w-]+)(?:/|$)");

    private static final int MIN_ITEMS = 5;
    private static final double LINKED_SHARE = 0.8;
    private static final double ITEMS_TEXT_SHARE = 0.6;
    private static final int MAX_TEASER_CHARS = 250;
    private static final double PRICED_SHARE = 0.4;
    /** A price: a currency sign or code next to a number. */
    static final Pattern PRICE = Pattern.compile(
            "(?:[$€£¥₹]|\\b(?:USD|EUR|GBP|CAD|AUD)\\b)\\s?\\d|\\d(?:[\\d.,\\s]*\\d)?\\s?(?:€|zł|kr|лв|USD|EUR)");

    PageType guess(PageMetadata meta, String url, Element body) {
        Set<String> types = lower(meta.schemaTypes());
        String path = path(url);
        if (hasAny(types, FORUM_TYPES)) {
            return PageType.FORUM;
        }
        boolean productDeclared = hasAny(types, PRODUCT_TYPES) || "product".equals(meta.ogType())
                || (meta.ogType() != null && meta.ogType().startsWith("product"));
        if (productDeclared && !hasAny(types, COLLECTION_TYPES)) {
            return PageType.PRODUCT;
        }
        if (FORUM_PATH.matcher(path).find()) {
            return PageType.FORUM;
        }
        if (hasAny(types, DOC_TYPES) || DOC_PATH.matcher(path).find()) {
            return PageType.DOCUMENTATION;
        }
        if (hasAny(types, COLLECTION_TYPES) && (productDeclared || COLLECTION_PATH.matcher(path).find())) {
            return PageType.COLLECTION;
        }
        if (PRODUCT_PATH.matcher(path).find()) {
            return PageType.PRODUCT;
        }
        if (COLLECTION_PATH.matcher(path).find()) {
            return PageType.COLLECTION;
        }
        if (hasAny(types, LISTING_TYPES) || LISTING_PATH.matcher(path).find()) {
            return PageType.LISTING;
        }
        if (hasAny(types, ARTICLE_TYPES) || "article".equals(meta.ogType()) || DATED_PATH.matcher(path).find()) {
            return PageType.ARTICLE;
        }
        if (path.isEmpty() || path.equals("/") || SERVICE_PATH.matcher(path).find() || hasAny(types, SERVICE_TYPES)) {
            return PageType.SERVICE;
        }
        if (body != null && body.getElementsByTag("pre").size() >= 3) {
            return PageType.DOCUMENTATION;
        }
        return PageType.ARTICLE;
    }

    /** The page says it is an article: a schema.org article type, og:type article, or a dated URL. */
    boolean declaresArticle(PageMetadata meta, String url) {
        return hasAny(lower(meta.schemaTypes()), ARTICLE_TYPES) || "article".equals(meta.ogType())
                || DATED_PATH.matcher(path(url)).find();
    }

    /**
     * Second look, once the main content is known: a page the URL and metadata call an article (or do not
     * classify at all) whose content is mostly a run of similar linked items is a listing, or a collection when
     * most items carry a price. Declared schema.org article types and dated URLs are trusted and kept.
     */
    PageType refine(PageType guessed, PageMetadata meta, String url, Element content) {
        if (guessed != PageType.ARTICLE && guessed != PageType.SERVICE) {
            return guessed;
        }
        if (hasAny(lower(meta.schemaTypes()), ARTICLE_TYPES) || DATED_PATH.matcher(path(url)).find()) {
            return guessed;
        }
        List<Element> items = repeatedItems(content);
        if (items.isEmpty()) {
            return guessed;
        }
        int priced = 0;
        for (Element item : items) {
            if (PRICE.matcher(item.text()).find()) {
                priced++;
            }
        }
        return priced >= PRICED_SHARE * items.size() ? PageType.COLLECTION : PageType.LISTING;
    }

    /** The largest run of same-shaped sibling elements that each hold a link and together hold most of the text. */
    private static List<Element> repeatedItems(Element content) {
        int total = content.text().length();
        if (total == 0) {
            return List.of();
        }
        List<Element> best = List.of();
        int bestText = 0;
        for (Element parent : content.getAllElements()) {
            if (parent.childrenSize() < MIN_ITEMS) {
                continue;
            }
            Map<String, List<Element>> groups = new HashMap<>();
            for (Element child : parent.children()) {
                String cls = child.className().strip();
                int space = cls.indexOf(' ');
                String signature = child.normalName() + "." + (space < 0 ? cls : cls.substring(0, space));
                groups.computeIfAbsent(signature, k -> new ArrayList<>()).add(child);
            }
            for (List<Element> group : groups.values()) {
                if (group.size() < MIN_ITEMS) {
                    continue;
                }
                int linked = 0;
                int text = 0;
                for (Element item : group) {
                    if (item.nameIs("a") || !item.getElementsByTag("a").isEmpty()) {
                        linked++;
                    }
                    text += item.text().length();
                }
                // Teasers are short; long repeated sections are an article's own structure.
                boolean teasers = text <= MAX_TEASER_CHARS * group.size();
                if (linked >= LINKED_SHARE * group.size() && teasers && text > bestText) {
                    best = group;
                    bestText = text;
                }
            }
        }
        return bestText >= ITEMS_TEXT_SHARE * total ? best : List.of();
    }

    private static String path(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        try {
            String p = URI.create(url.strip().replace(" ", "%20")).getPath();
            return p == null ? "" : p.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Set<String> lower(Set<String> types) {
        return types.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
    }

    private static boolean hasAny(Set<String> types, Set<String> wanted) {
        for (String t : types) {
            if (wanted.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
