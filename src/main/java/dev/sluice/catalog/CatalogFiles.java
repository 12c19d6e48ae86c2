package dev.sluice.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a catalog in Sluice's own format ({@code "format": "sluice-catalog/1"}, see docs/catalog.md), or in
 * LiteLLM's {@code model_prices_and_context_window.json} format ({@link LiteLlmCatalog}), told apart by content.
 * Every problem is collected and reported at once; nothing of a source with a problem is used. Pure: bytes in,
 * catalog out, so the bundled catalog, a file and a download are checked by the same code.
 */
public final class CatalogFiles {

    public static final String FORMAT = "sluice-catalog/1";

    /** Exact decimals for prices (a double would turn 0.075 into 0.07499...); duplicate keys are an error. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CatalogFiles() {
    }

    /**
     * @param source      {@code bundled}, {@code file} or {@code url}: recorded on every entry
     * @param location    the file or URL, for messages
     * @param defaultAsOf the date to give a source that carries none (LiteLLM's file has no date)
     */
    public static Catalog parse(byte[] bytes, String source, String location, String defaultAsOf) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new CatalogException(location + ": not valid JSON" + (loc == null ? "" : " (line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr() + ")") + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CatalogException(location + ": cannot be read: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new CatalogException(location + ": a catalog is a JSON object");
        }
        if (root.has("format") || root.has("models")) {
            return parseSluice(root, source, location);
        }
        if (LiteLlmCatalog.recognises(root)) {
            return LiteLlmCatalog.parse(root, source, location, defaultAsOf);
        }
        throw new CatalogException(location + ": neither a Sluice catalog (\"format\": \"" + FORMAT + "\") nor "
                + "LiteLLM's model_prices_and_context_window.json (entries with \"litellm_provider\")");
    }

    private static Catalog parseSluice(JsonNode root, String source, String location) {
        List<String> problems = new ArrayList<>();
        if (!FORMAT.equals(root.path("format").asText())) {
            problems.add(location + ": \"format\" must be \"" + FORMAT + "\"");
        }
        String asOf = root.path("as_of").asText("");
        if (!isDate(asOf)) {
            problems.add(location + ": \"as_of\" must be the catalog's date (YYYY-MM-DD)");
        }
        Map<String, Catalog.Vendor> vendors = new LinkedHashMap<>();
        root.path("vendors").fields().forEachRemaining(e -> {
            String where = location + ": vendors." + e.getKey();
            JsonNode v = e.getValue();
            String api = v.path("api").isTextual() ? v.path("api").asText() : null;
            List<String> via = strings(v.path("via"), where + ".via", problems);
            if (!v.isObject() || (api == null && via.isEmpty())) {
                problems.add(where + " must name the vendor's own API (\"api\") or providers serving its models (\"via\")");
            }
            vendors.put(e.getKey(), new Catalog.Vendor(api, via));
        });
        JsonNode entries = root.path("models");
        if (!entries.isObject()) {
            problems.add(location + ": \"models\" must be an object of \"provider/model\": {...}");
        }
        Map<String, CatalogModel> models = new LinkedHashMap<>();
        entries.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String where = location + ": models.\"" + key + "\"";
            int slash = key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1) {
                problems.add(where + ": the key must be provider/model");
                return;
            }
            CatalogModel m = entry(key.substring(0, slash), key.substring(slash + 1), e.getValue(), where, source,
                    asOf, problems);
            if (m != null) {
                models.put(key, m);
            }
        });
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Catalog(models, vendors, List.of(new Catalog.Layer(source, location, asOf, models.size(), 0)));
    }

    private static CatalogModel entry(String provider, String id, JsonNode n, String where, String source, String asOf,
                                      List<String> problems) {
        if (!n.isObject()) {
            problems.add(where + " must be an object");
            return null;
        }
        int before = problems.size();
        List<String> aliases = strings(n.path("aliases"), where + ".aliases", problems);
        int context = count(n.path("context_window"), where + ".context_window", problems);
        int maxOutput = count(n.path("max_output"), where + ".max_output", problems);
        JsonNode mod = n.path("modalities");
        List<String> in = mod.has("input") ? strings(mod.path("input"), where + ".modalities.input", problems)
                : List.of("text");
        List<String> out = mod.has("output") ? strings(mod.path("output"), where + ".modalities.output", problems)
                : List.of("text");
        Set<String> caps = new LinkedHashSet<>(strings(n.path("capabilities"), where + ".capabilities", problems));
        for (String c : caps) {
            if (!CatalogModel.CAPABILITIES.contains(c)) {
                problems.add(where + ".capabilities: unknown capability '" + c + "'; use " + CatalogModel.CAPABILITIES);
            }
        }
        ModelPrice price = null;
        JsonNode p = n.path("price");
        if (!p.isMissingNode() && !p.isNull()) {
            BigDecimal input = decimal(p.path("input"), where + ".price.input", true, problems);
            BigDecimal output = decimal(p.path("output"), where + ".price.output", true, problems);
            BigDecimal cached = decimal(p.path("cached_input"), where + ".price.cached_input", false, problems);
            BigDecimal write = decimal(p.path("cache_write"), where + ".price.cache_write", false, problems);
            price = new ModelPrice(input, output, cached == null ? input : cached, write == null ? input : write,
                    decimal(p.path("per_image"), where + ".price.per_image", false, problems),
                    decimal(p.path("per_request"), where + ".price.per_request", false, problems));
        }
        String deprecation = n.path("deprecation_date").isNull() ? null : n.path("deprecation_date").asText(null);
        if (deprecation != null && !isDate(deprecation)) {
            problems.add(where + ".deprecation_date: '" + deprecation + "' is not a date (YYYY-MM-DD)");
        }
        if (price != null) {
            for (BigDecimal d : new BigDecimal[]{price.input(), price.output(), price.cachedInput(), price.cacheWrite(),
                    price.perImage(), price.perRequest()}) {
                if (d != null && d.stripTrailingZeros().scale() > 6) {
                    problems.add(where + ".price: " + d.toPlainString() + " has more than six decimals (Sluice "
                            + "counts in micro-dollars)");
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new CatalogModel(provider, id, aliases, context, maxOutput, in, out, Set.copyOf(caps), price,
                deprecation, source, asOf);
    }

    static List<String> strings(JsonNode n, String where, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            problems.add(where + " must be a list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        n.forEach(s -> {
            if (s.isTextual() && !s.asText().isBlank()) {
                out.add(s.asText());
            } else {
                problems.add(where + ": " + s + " is not a name");
            }
        });
        return List.copyOf(out);
    }

    static int count(JsonNode n, String where, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
            problems.add(where + ": '" + n.asText() + "' is not a token count");
            return 0;
        }
        return n.asInt();
    }

    /** A price as a JSON string ("2.50", exact) or number; negative prices are refused. */
    static BigDecimal decimal(JsonNode n, String where, boolean required, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            if (required) {
                problems.add(where + " is required");
            }
            return null;
        }
        try {
            BigDecimal d = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText().strip());
            if (d.signum() < 0) {
                problems.add(where + ": a price cannot be negative");
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            problems.add(where + ": '" + n.asText() + "' is not a number");
            return null;
        }
    }

    static boolean isDate(String s) {
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
