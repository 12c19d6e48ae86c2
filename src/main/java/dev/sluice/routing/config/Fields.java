package dev.sluice.routing.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.runtime.configuration.DurationConverter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one YAML mapping of a routing file field by field. Every problem is noted with its path
 * ({@code groups.gpt-4o.deployments[1].weight}) instead of failing on the first, and the keys that were never
 * read can be listed afterwards: unknown keys are errors in Sluice's own format and warnings in LiteLLM's.
 *
 * <p>String values pass through an expansion function (environment references); values it could not expand are
 * collected in {@link #missing()}, shared with the mappings read through {@link #child}.
 */
final class Fields {

    /** Expands references in a raw value; names without a value are added to {@code missing}. */
    @FunctionalInterface
    interface Expander {
        String expand(String raw, List<String> missing);

        Expander NONE = (raw, missing) -> raw;
    }

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Expander expand;
    private final List<String> missing;
    private final Set<String> read = new HashSet<>();

    private Fields(JsonNode node, String path, List<String> problems, Expander expand,
                   List<String> missing) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.expand = expand;
        this.missing = missing;
    }

    /** A mapping; anything else is noted as a problem and read as an empty mapping. */
    static Fields of(JsonNode node, String path, List<String> problems, Expander expand) {
        return of(node, path, problems, expand, new ArrayList<>());
    }

    private static Fields of(JsonNode node, String path, List<String> problems, Expander expand,
                             List<String> missing) {
        if (node == null || node.isNull()) {
            return new Fields(JsonNodeFactory.instance.objectNode(), path, problems, expand, missing);
        }
        if (!node.isObject()) {
            problems.add(where(path) + "expected a mapping of settings");
            return new Fields(JsonNodeFactory.instance.objectNode(), path, problems, expand, missing);
        }
        return new Fields(node, path, problems, expand, missing);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The variables referred to by this mapping (and its children) that have no value. */
    List<String> missing() {
        return missing;
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** The raw value (null when absent or null), marked as read. */
    JsonNode raw(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    void problem(String key, String message) {
        problems.add(where(path(key)) + message);
    }

    /** A string; numbers and booleans are taken as their text. */
    String text(String key) {
        JsonNode v = raw(key);
        if (v == null) {
            return null;
        }
        if (!v.isValueNode()) {
            problem(key, "expected a single value");
            return null;
        }
        return expand.expand(v.asText(), missing);
    }

    String requiredText(String key) {
        String v = text(key);
        if (v == null) {
            problem(key, "is required");
        } else if (v.isBlank() && missing.isEmpty()) {
            problem(key, "must not be empty");
        }
        return v;
    }

    Integer integer(String key, int min) {
        JsonNode v = raw(key);
        if (v == null) {
            return null;
        }
        JsonNode n = numeric(v);
        if (n == null || !n.canConvertToInt() || (n.isFloatingPointNumber() && n.asDouble() != Math.rint(n.asDouble()))) {
            problem(key, "expected a whole number, got '" + v.asText() + "'");
            return null;
        }
        if (n.asInt() < min) {
            problem(key, "must be at least " + min + ", got " + n.asInt());
            return null;
        }
        return n.asInt();
    }

    Double number(String key, double min, double max) {
        JsonNode v = raw(key);
        if (v == null) {
            return null;
        }
        JsonNode n = numeric(v);
        if (n == null) {
            problem(key, "expected a number, got '" + v.asText() + "'");
            return null;
        }
        double d = n.asDouble();
        if (d < min || d > max || Double.isNaN(d)) {
            problem(key, "must be between " + min + " and " + max + ", got " + d);
            return null;
        }
        return d;
    }

    Boolean bool(String key) {
        JsonNode v = raw(key);
        if (v == null) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        String t = expand.expand(v.asText(), missing).strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        problem(key, "expected true or false, got '" + v.asText() + "'");
        return null;
    }

    /** A duration: a number of seconds, or {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code PT10S}. */
    Duration duration(String key) {
        JsonNode v = raw(key);
        if (v == null) {
            return null;
        }
        Duration d = null;
        try {
            if (v.isNumber()) {
                d = Duration.ofMillis(Math.round(v.asDouble() * 1000));
            } else if (v.isTextual()) {
                String t = expand.expand(v.asText(), missing).strip();
                d = t.matches("\\d+(\\.\\d+)?") ? Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000))
                        : DurationConverter.parseDuration(t);
            }
        } catch (RuntimeException unreadable) {
            d = null;
        }
        if (d == null) {
            problem(key, "expected a duration such as 500ms, 10s or 2m, got '" + v.asText() + "'");
            return null;
        }
        if (d.isNegative() || d.isZero()) {
            problem(key, "must be longer than zero");
            return null;
        }
        return d;
    }

    /** A list of strings; a single string is a list of one. */
    List<String> strings(String key) {
        JsonNode v = raw(key);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(expand.expand(v.asText(), missing));
            return out;
        }
        if (!v.isArray()) {
            problem(key, "expected a list of names");
            return List.of();
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
                problems.add(where(path(key) + "[" + i + "]") + "expected a name");
            } else {
                out.add(expand.expand(item.asText(), missing));
            }
        }
        return out;
    }

    Map<String, String> stringMap(String key) {
        JsonNode v = raw(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            problem(key, "expected a mapping of names to values");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                problems.add(where(path(key) + "." + e.getKey()) + "expected a single value");
            } else {
                out.put(e.getKey(), expand.expand(e.getValue().asText(), missing));
            }
        }
        return out;
    }

    /** A nested mapping (empty when absent). */
    Fields child(String key) {
        return of(raw(key), path(key), problems, expand, missing);
    }

    /** A nested mapping read with its own list of missing variables. */
    Fields detached(String key) {
        return of(raw(key), path(key), problems, expand, new ArrayList<>());
    }

    /** A list of mappings. */
    List<Fields> list(String key) {
        JsonNode v = raw(key);
        List<Fields> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            problem(key, "expected a list");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            out.add(of(v.get(i), path(key) + "[" + i + "]", problems, expand, new ArrayList<>()));
        }
        return out;
    }

    /** The keys of this mapping, in order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Keys present but never read. */
    List<String> unread() {
        List<String> out = new ArrayList<>();
        for (String k : keys()) {
            if (!read.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Notes every unread key as a problem: the strict reading of Sluice's own format. */
    void rejectUnknown(String known) {
        for (String k : unread()) {
            problem(k, "unknown setting (known here: " + known + ")");
        }
    }

    private JsonNode numeric(JsonNode v) {
        if (v.isNumber()) {
            return v;
        }
        if (v.isTextual()) {
            try {
                return JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(expand.expand(v.asText(), missing).strip()));
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    static String where(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}
