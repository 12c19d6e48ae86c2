package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Compares JSON documents structurally (field order ignored, numbers and types exact), for golden tests. */
public final class JsonAssert {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonAssert() {
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the actual JSON text is the expected document; on failure both are shown pretty-printed. */
    public static void assertJson(String expected, String actual) {
        assertJson(parse(expected), parse(actual));
    }

    /**
     * Structural equality. One normalisation: a {@code usage.cost} the expected document does not mention is
     * left out of the actual one — it is the gateway's price, added after a provider's answer is translated
     * (billing's tests check it), so translation goldens need not restate prices.
     */
    public static void assertJson(JsonNode expected, JsonNode actual) {
        withoutUnexpectedCost(expected, actual);
        if (!expected.equals(actual)) {
            assertEquals(expected.toPrettyString(), actual.toPrettyString());
        }
    }

    private static void withoutUnexpectedCost(JsonNode expected, JsonNode actual) {
        if (expected instanceof ObjectNode e && actual instanceof ObjectNode a) {
            if ((a.has("prompt_tokens") || a.has("input_tokens")) && a.has("cost") && !e.has("cost")) {
                a.remove("cost"); // a usage object compared on its own
            }
            if (a.get("usage") instanceof ObjectNode usage && usage.has("cost")
                    && !(e.get("usage") instanceof ObjectNode expectedUsage && expectedUsage.has("cost"))) {
                usage.remove("cost");
            }
            e.fields().forEachRemaining(f -> withoutUnexpectedCost(f.getValue(), a.get(f.getKey())));
        } else if (expected != null && expected.isArray() && actual != null && actual.isArray()) {
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                withoutUnexpectedCost(expected.get(i), actual.get(i));
            }
        }
    }

    /** The document without a field (e.g. {@code created}, which is the time of the answer). */
    public static JsonNode without(String json, String field) {
        JsonNode node = parse(json);
        if (node instanceof ObjectNode o) {
            o.remove(field);
        }
        return node;
    }
}
