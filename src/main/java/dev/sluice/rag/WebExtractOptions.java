package dev.sluice.rag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.openai.ApiException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code web_extract} object of a chat request: {@code urls}, {@code auto}, {@code max_tokens},
 * {@code max_urls}, {@code required}. Every field is checked; an unknown one is a 400 naming it.
 */
record WebExtractOptions(List<String> urls, boolean auto, int maxTokens, int maxUrls, boolean required) {

    private static final Set<String> KNOWN = Set.of("urls", "auto", "max_tokens", "max_urls", "required");
    static final String FIELD = "web_extract";

    static WebExtractOptions parse(JsonNode node, RagConfig config) {
        if (!node.isObject()) {
            throw ApiException.invalidRequest("Invalid 'web_extract': expected an object", FIELD);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                throw ApiException.invalidRequest("Unknown parameter 'web_extract." + name + "' (known: urls, auto, "
                        + "max_tokens, max_urls, required)", FIELD + "." + name, "unknown_parameter");
            }
        }
        List<String> urls = new ArrayList<>();
        JsonNode u = node.get("urls");
        if (u != null && !u.isNull()) {
            if (!u.isArray()) {
                throw ApiException.invalidRequest("Invalid 'web_extract.urls': expected an array of URLs", FIELD + ".urls");
            }
            for (int i = 0; i < u.size(); i++) {
                if (!u.get(i).isTextual() || u.get(i).asText().isBlank()) {
                    throw ApiException.invalidRequest("Invalid 'web_extract.urls[" + i + "]': expected a URL string",
                            FIELD + ".urls[" + i + "]");
                }
                urls.add(u.get(i).asText().strip());
            }
        }
        boolean auto = bool(node, "auto");
        boolean required = bool(node, "required");
        int maxTokens = integer(node, "max_tokens", config.defaultMaxTokens(), 100, config.maxTokens());
        int maxUrls = integer(node, "max_urls", config.defaultMaxUrls(), 1, config.maxUrls());
        if (urls.isEmpty() && !auto) {
            throw ApiException.invalidRequest("'web_extract' needs 'urls' or \"auto\": true", FIELD + ".urls");
        }
        if (urls.size() > maxUrls) {
            throw ApiException.invalidRequest("'web_extract.urls' has " + urls.size() + " URLs but max_urls is "
                    + maxUrls, FIELD + ".urls");
        }
        return new WebExtractOptions(List.copyOf(urls), auto, maxTokens, maxUrls, required);
    }

    private static boolean bool(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalidRequest("Invalid 'web_extract." + name + "': expected a boolean", FIELD + "." + name);
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode node, String name, int fallback, int min, int max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw ApiException.invalidRequest("Invalid 'web_extract." + name + "': expected an integer from " + min
                    + " to " + max, FIELD + "." + name);
        }
        return v.asInt();
    }
}
