package dev.sluice.openai;

import dev.sluice.openai.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of small JSON request bodies (admin and report routes) with a 400 that names the field when
 * one is missing or of the wrong type, the same way the OpenAI routes report their validation errors.
 */
public final class JsonFields {

    private JsonFields() {
    }

    public static ObjectNode object(ObjectMapper mapper, byte[] body) {
        if (body == null || body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalidRequest("The request body is not valid JSON", null, "invalid_json");
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return mapper.createObjectNode();
        }
        if (!root.isObject()) {
            throw ApiException.invalidRequest("The request body must be a JSON object", null, "invalid_json");
        }
        return (ObjectNode) root;
    }

    public static String string(JsonNode body, String field, boolean required, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.invalidRequest(field + " is required", field);
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.invalidRequest(field + " must be a non-empty string", field);
        }
        if (v.asText().length() > maxLength) {
            throw ApiException.invalidRequest(field + " must be at most " + maxLength + " characters", field);
        }
        return v.asText().strip();
    }

    /** A positive integer, or null when absent or null. */
    public static Integer positiveInt(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw ApiException.invalidRequest(field + " must be a positive integer (or null for no limit)", field);
        }
        return v.asInt();
    }

    public static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalidRequest(field + " must be true or false", field);
        }
        return v.asBoolean();
    }

    /** A USD amount (a JSON number or a decimal string), exactly. */
    public static BigDecimal usd(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.invalidRequest(field + " is required", field);
            }
            return null;
        }
        try {
            if (v.isNumber()) {
                return v.decimalValue();
            }
            if (v.isTextual()) {
                return new BigDecimal(v.asText().strip());
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalidRequest(field + " must be a USD amount such as 10 or 2.50", field);
    }

    public static List<String> strings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiException.invalidRequest(field + " must be an array of strings", field);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual() || item.asText().isBlank()) {
                throw ApiException.invalidRequest(field + "[" + i + "] must be a non-empty string", field + "[" + i + "]");
            }
            out.add(item.asText().strip());
        }
        return out;
    }

    /** An instant: ISO-8601 ({@code 2026-12-31T23:59:59Z} or a date, meaning its start in UTC) or epoch seconds. */
    public static Long instant(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong() * 1000;
        }
        if (v.isTextual()) {
            Long parsed = parseInstant(v.asText());
            if (parsed != null) {
                return parsed;
            }
        }
        throw ApiException.invalidRequest(field + " must be an ISO-8601 time (2026-12-31T23:59:59Z), a date, "
                + "or epoch seconds", field);
    }

    /** Epoch milliseconds of an ISO-8601 instant or date (UTC), or null when it is neither. */
    public static Long parseInstant(String text) {
        String t = text.strip();
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // maybe a date
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }
}
