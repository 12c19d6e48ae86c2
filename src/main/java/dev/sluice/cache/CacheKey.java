package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The cache key of a chat request: the SHA-256 of its canonical form (fields sorted at every depth, numbers
 * written one way), so that two requests that differ only in field order or in {@code 1} versus {@code 1.0} share
 * an entry. Everything in the body counts (messages, tools, tool_choice, response_format, sampling fields, and
 * fields Sluice does not know, which may change the answer) except the fields that cannot change it; the model
 * is the one that serves the request, not the name the client used. Hand-written because canonical JSON (RFC
 * 8785) has no maintained implementation in the Quarkus ecosystem and this needs only Jackson's tree.
 */
public final class CacheKey {

    /** Body fields that cannot change the answer: how it is delivered, who asked, and Sluice's own fields. */
    static final Set<String> IGNORED = Set.of("model", "stream", "stream_options", "user", "metadata", "store",
            "service_tier", "prompt_cache_key", "safety_identifier", CacheDirective.FIELD, "fallbacks");

    private CacheKey() {
    }

    /**
     * The key of a request.
     *
     * @param scope       whose entries these are: a key id, or the configured shared namespace
     * @param servedModel the provider and model that serve the request ({@code provider/model})
     * @param body        the request as it will go upstream
     */
    public static String of(String scope, String servedModel, ObjectNode body) {
        StringBuilder out = new StringBuilder(256);
        out.append("v1\n").append(scope).append('\n').append(servedModel).append('\n');
        canonical(body, out, true);
        return sha256(out.toString());
    }

    /** The canonical JSON text of a node (top level without the ignored fields). */
    static void canonical(JsonNode node, StringBuilder out, boolean top) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!(top && IGNORED.contains(name))) {
                    names.add(name);
                }
            }
            Collections.sort(names);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(names.get(i), out);
                out.append(':');
                canonical(node.get(names.get(i)), out, false);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out, false);
            }
            out.append(']');
        } else if (node.isNumber()) {
            BigDecimal n = node.decimalValue().stripTrailingZeros();
            out.append(n.signum() == 0 ? "0" : n.toPlainString());
        } else if (node.isTextual()) {
            string(node.asText(), out);
        } else {
            // true, false, null
            out.append(node.asText());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
