package dev.sluice.extract;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads a page's metadata from the places publishers put it: Open Graph and other meta tags, schema.org JSON-LD
 * and microdata, {@code <link rel>} and {@code <time datetime>}. Each field takes the first source that has it, in
 * an order that prefers what the publisher declared on purpose over what is inferred from the visible page.
 * Stateless and thread-safe.
 */
final class MetadataReader {

    /** JSON-LD in the wild has trailing commas, comments and raw newlines inside strings; accept them. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();
    private static final int MAX_JSON_DEPTH = 8;
    private static final Pattern TITLE_SEPARATOR = Pattern.compile("\\s+[|\\-–—·•:»]\\s+");
    private static final Pattern LOOSE_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}:\\d{2}(?::\\d{2})?))?");
    private static final Set<String> ARTICLE_TYPES = Set.of("article", "newsarticle", "blogposting", "techarticle",
            "scholarlyarticle", "report", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
            "discussionforumposting", "socialmediaposting", "liveblogposting", "webpage", "howto", "recipe",
            "qapage", "question");

    private static final List<String> META_KEYS = List.of("property", "name", "itemprop");

    PageMetadata read(Document doc, String baseUrl) {
        Map<String, String> metas = metas(doc);
        List<JsonNode> items = jsonLdItems(doc);
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode item : items) {
            for (String t : typesOf(item)) {
                types.add(t);
            }
        }
        for (Element e : doc.select("[itemtype]")) {
            String itemType = e.attr("itemtype");
            int slash = itemType.lastIndexOf('/');
            types.add(itemType.substring(slash + 1).strip());
        }

        JsonNode article = firstOfTypes(items, ARTICLE_TYPES);
        JsonNode product = firstOfTypes(items, Set.of("product", "productgroup"));

        String siteName = firstNonBlank(meta(metas, "og:site_name"), jsonName(article == null ? null : article.get("publisher")),
                jsonName(firstOfTypes(items, Set.of("website"))), meta(metas, "application-name"),
                jsonName(firstOfTypes(items, Set.of("organization", "corporation", "localbusiness"))));
        String title = firstNonBlank(meta(metas, "og:title"), meta(metas, "twitter:title"),
                text(article == null ? null : article.get("headline")), cleanTitleTag(doc.title(), siteName));
        if (title == null) {
            title = firstText(doc, "h1");
        }
        String byline = firstNonBlank(authorFromMeta(metas), article == null ? null : jsonAuthors(article.get("author")));
        if (byline == null) {
            byline = firstNonBlank(firstText(doc, "[rel=author], [itemprop=author] [itemprop=name], [itemprop=author]"),
                    firstText(doc, "a[href*=/author/]"));
        }
        String published = firstNonBlank(meta(metas, "article:published_time"), meta(metas, "og:published_time"),
                meta(metas, "published_time"), meta(metas, "datePublished"), meta(metas, "date"), meta(metas, "pubdate"),
                meta(metas, "publishdate"), meta(metas, "dc.date.issued"), meta(metas, "dcterms.created"), meta(metas, "dc.date"),
                meta(metas, "parsely-pub-date"), meta(metas, "sailthru.date"),
                text(article == null ? null : article.get("datePublished")), text(firstDate(items)));
        if (published == null) {
            published = firstNonBlank(itemprop(doc, "datePublished"), timeDatetime(doc));
        }
        Element html = doc.selectFirst("html");
        String lang = firstNonBlank(html == null ? null : html.attr("lang"),
                httpEquiv(doc, "content-language"), meta(metas, "language"), localeToLang(meta(metas, "og:locale")),
                text(article == null ? null : article.get("inLanguage")));
        String description = firstNonBlank(meta(metas, "description"), meta(metas, "og:description"),
                meta(metas, "twitter:description"), text(article == null ? null : article.get("description")),
                text(product == null ? null : product.get("description")));
        Element canonicalLink = doc.selectFirst("link[rel=canonical][href]");
        String canonical = firstNonBlank(canonicalLink == null ? null : canonicalLink.absUrl("href"),
                absolute(doc, meta(metas, "og:url")), baseUrl == null || baseUrl.isBlank() ? null : baseUrl);
        String ogType = meta(metas, "og:type");

        return new PageMetadata(clean(title), clean(byline), clean(siteName), normaliseDate(published),
                clean(lang), clean(description), canonical, Set.copyOf(types),
                ogType == null ? null : ogType.toLowerCase(Locale.ROOT), structuredBody(product, article, metas));
    }

    /** Text a Product's or an article's structured data carries, as paragraphs. */
    private static String structuredBody(JsonNode product, JsonNode article, Map<String, String> metas) {
        StringBuilder out = new StringBuilder();
        if (product != null) {
            appendParagraph(out, text(product.get("name")));
            appendParagraph(out, text(product.get("description")));
            String brand = jsonName(product.get("brand"));
            if (brand != null) {
                appendParagraph(out, "Brand: " + brand);
            }
            JsonNode offers = product.get("offers");
            if (offers != null && offers.isArray() && !offers.isEmpty()) {
                offers = offers.get(0);
            }
            if (offers != null) {
                String price = firstNonBlank(text(offers.get("price")), text(offers.get("lowPrice")));
                if (price != null) {
                    String currency = text(offers.get("priceCurrency"));
                    appendParagraph(out, "Price: " + price + (currency == null ? "" : " " + currency));
                }
            }
        } else if (article != null) {
            appendParagraph(out, firstNonBlank(text(article.get("articleBody")), text(article.get("text"))));
        }
        if (out.isEmpty() && "product".equalsIgnoreCase(meta(metas, "og:type"))) {
            appendParagraph(out, meta(metas, "og:title"));
            appendParagraph(out, meta(metas, "og:description"));
        }
        return out.isEmpty() ? null : out.toString().strip();
    }

    private static void appendParagraph(StringBuilder out, String paragraph) {
        if (paragraph != null && !paragraph.isBlank()) {
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            out.append(paragraph.strip());
        }
    }

    // ---- JSON-LD ----

    static List<JsonNode> jsonLdItems(Document doc) {
        List<JsonNode> items = new ArrayList<>();
        for (Element script : doc.select("script[type=application/ld+json]")) {
            String json = script.data().strip();
            if (json.isEmpty()) {
                continue;
            }
            try {
                collect(JSON.readTree(json), items, 0);
            } catch (Exception malformed) {
                // Broken structured data is common; the page's visible metadata still applies.
            }
        }
        return items;
    }

    private static void collect(JsonNode node, List<JsonNode> items, int depth) {
        if (node == null || depth > MAX_JSON_DEPTH) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                collect(child, items, depth + 1);
            }
        } else if (node.isObject()) {
            if (node.has("@type")) {
                items.add(node);
            }
            JsonNode graph = node.get("@graph");
            if (graph != null) {
                collect(graph, items, depth + 1);
            }
            JsonNode main = node.get("mainEntity");
            if (main != null) {
                collect(main, items, depth + 1);
            }
        }
    }

    static List<String> typesOf(JsonNode item) {
        JsonNode type = item.get("@type");
        List<String> out = new ArrayList<>();
        if (type == null) {
            return out;
        }
        if (type.isArray()) {
            type.forEach(t -> out.add(simpleType(t.asText())));
        } else {
            out.add(simpleType(type.asText()));
        }
        return out;
    }

    private static String simpleType(String type) {
        int cut = Math.max(type.lastIndexOf('/'), type.lastIndexOf(':'));
        return type.substring(cut + 1).strip();
    }

    private static JsonNode firstOfTypes(List<JsonNode> items, Set<String> lowerCaseTypes) {
        for (JsonNode item : items) {
            for (String t : typesOf(item)) {
                if (lowerCaseTypes.contains(t.toLowerCase(Locale.ROOT))) {
                    return item;
                }
            }
        }
        return null;
    }

    private static JsonNode firstDate(List<JsonNode> items) {
        for (JsonNode item : items) {
            JsonNode date = item.get("datePublished");
            if (date != null) {
                return date;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            return node.isEmpty() ? null : text(node.get(0));
        }
        if (node.isObject()) {
            return text(node.get("@value"));
        }
        String s = node.asText();
        return s.isBlank() ? null : s;
    }

    private static String jsonName(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isArray()) {
            return node.isEmpty() ? null : jsonName(node.get(0));
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return text(node.get("name"));
    }

    private static String jsonAuthors(JsonNode author) {
        if (author == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        if (author.isArray()) {
            author.forEach(a -> {
                String n = jsonName(a);
                if (n != null && !isUrl(n)) {
                    names.add(n.strip());
                }
            });
        } else {
            String n = jsonName(author);
            if (n != null && !isUrl(n)) {
                names.add(n.strip());
            }
        }
        return names.isEmpty() ? null : String.join(", ", names);
    }

    // ---- meta tags ----

    /**
     * The {@code content} of each {@code <meta>} of the head by its {@code property}, {@code name} and
     * {@code itemprop} (lower-cased), the first non-blank one of each: read once, since a page's metadata is
     * looked up under some thirty keys.
     */
    private static Map<String, String> metas(Document doc) {
        Map<String, String> metas = new HashMap<>();
        for (Element m : doc.head().getElementsByTag("meta")) {
            String content = m.attr("content");
            if (content.isBlank()) {
                continue;
            }
            for (String attribute : META_KEYS) {
                String key = m.attr(attribute);
                if (!key.isEmpty()) {
                    metas.putIfAbsent(key.toLowerCase(Locale.ROOT), content);
                }
            }
        }
        return metas;
    }

    private static String meta(Map<String, String> metas, String key) {
        return metas.get(key.toLowerCase(Locale.ROOT));
    }

    private static String httpEquiv(Document doc, String key) {
        for (Element m : doc.head().getElementsByTag("meta")) {
            if (key.equalsIgnoreCase(m.attr("http-equiv")) && !m.attr("content").isBlank()) {
                return m.attr("content");
            }
        }
        return null;
    }

    private static String authorFromMeta(Map<String, String> metas) {
        for (String key : List.of("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "twitter:creator")) {
            String v = meta(metas, key);
            if (v != null && !isUrl(v) && !(key.equals("twitter:creator") && v.startsWith("@"))) {
                return v;
            }
        }
        return null;
    }

    private static String itemprop(Document doc, String prop) {
        Element e = doc.selectFirst("[itemprop=" + prop + "]");
        if (e == null) {
            return null;
        }
        return firstNonBlank(e.attr("content"), e.attr("datetime"), e.text());
    }

    private static String timeDatetime(Document doc) {
        Element scoped = doc.selectFirst("article time[datetime], main time[datetime]");
        Element time = scoped != null ? scoped : doc.selectFirst("time[datetime]");
        return time == null ? null : time.attr("datetime");
    }

    private static String firstText(Document doc, String css) {
        Element e = doc.body() == null ? null : doc.body().selectFirst(css);
        if (e == null) {
            return null;
        }
        String t = e.text().strip();
        // A long match is a container, not a name.
        return t.isEmpty() || t.length() > 100 ? null : t;
    }

    private static String cleanTitleTag(String title, String siteName) {
        if (title == null || title.isBlank()) {
            return null;
        }
        Matcher m = TITLE_SEPARATOR.matcher(title);
        if (siteName != null && m.find()) {
            // Drop a leading or trailing part that is the site's name: "Headline | Site".
            String[] parts = TITLE_SEPARATOR.split(title);
            List<String> kept = new ArrayList<>();
            for (String p : parts) {
                if (!p.strip().equalsIgnoreCase(siteName.strip())) {
                    kept.add(p.strip());
                }
            }
            if (!kept.isEmpty() && kept.size() < parts.length) {
                return String.join(" - ", kept);
            }
        }
        return title;
    }

    private static String localeToLang(String locale) {
        return locale == null ? null : locale.replace('_', '-');
    }

    private static String absolute(Document doc, String url) {
        if (url == null) {
            return null;
        }
        try {
            String base = doc.location();
            return base == null || base.isBlank() ? url : java.net.URI.create(base).resolve(url.strip()).toString();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /** ISO-8601 when the value can be read as a date, otherwise the value as written. */
    static String normaliseDate(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = raw.strip();
        try {
            return OffsetDateTime.parse(s).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toOffsetDateTime()
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(s).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        // "+0000" offsets and other near-ISO forms: keep the date and time we can read.
        Matcher m = LOOSE_DATE.matcher(s);
        if (m.find()) {
            try {
                LocalDate date = LocalDate.parse(m.group(1) + "-" + m.group(2) + "-" + m.group(3));
                if (m.group(4) != null) {
                    String time = m.group(4).length() == 5 ? m.group(4) + ":00" : m.group(4);
                    return date + "T" + time;
                }
                return date.toString();
            } catch (DateTimeParseException ignored) {
                // fall through
            }
        }
        return s;
    }

    private static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://") || s.startsWith("/");
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replaceAll("\\s+", " ").strip();
        return t.isEmpty() ? null : t;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
