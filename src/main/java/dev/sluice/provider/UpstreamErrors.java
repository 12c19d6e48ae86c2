package dev.sluice.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns a provider's error response into the error Sluice's client sees:
 * <ul>
 *   <li>4xx keeps its status and the provider's message (secrets masked);</li>
 *   <li>429 keeps its status and its Retry-After;</li>
 *   <li>5xx becomes 502 (504 for a gateway timeout) naming the provider.</li>
 * </ul>
 * The message is found in the usual places: OpenAI's {@code error.message}, {@code error} as a string,
 * {@code message}, {@code detail}. The provider's {@code code} is kept, unless it is merely the HTTP status (as
 * Azure sends it), which gives way to Sluice's code for the failure.
 */
public final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /**
     * @param header reads a response header by name (case-insensitive), null when absent
     */
    public static UpstreamException from(String provider, int status, Function<String, String> header, byte[] body,
                                         ObjectMapper mapper) {
        String message = null;
        String type = null;
        String code = null;
        String param = null;
        try {
            JsonNode root = body == null || body.length == 0 ? null : mapper.readTree(body);
            if (root != null && root.isArray() && !root.isEmpty()) {
                root = root.get(0); // Gemini-style [{"error": ...}]
            }
            if (root != null && root.isObject()) {
                JsonNode error = root.get("error");
                if (error != null && error.isObject()) {
                    message = text(error.get("message"));
                    type = text(error.get("type"));
                    code = error.hasNonNull("code") ? error.get("code").asText() : null;
                    if (code != null && code.matches("\\d{3}")) {
                        // an HTTP status as the code (Azure's "429", "401") is no OpenAI error code
                        code = null;
                    }
                    param = text(error.get("param"));
                    if (type == null) {
                        type = text(error.get("status"));
                    }
                } else if (error != null && error.isTextual()) {
                    message = error.asText();
                }
                if (message == null) {
                    message = text(root.get("message"));
                }
                if (message == null && root.has("detail")) {
                    JsonNode detail = root.get("detail");
                    message = detail.isTextual() ? detail.asText() : detail.toString();
                }
            }
        } catch (Exception notJson) {
            // fall through to the raw text
        }
        if (message == null && body != null && body.length > 0) {
            String raw = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
            message = raw.isEmpty() ? null : raw;
        }
        message = Secrets.redact(message == null ? "no message" : message);
        Duration retryAfter = retryAfter(header);

        if (status == 429) {
            return new UpstreamException(provider, UpstreamException.Kind.RATE_LIMITED, status, 429,
                    ApiException.RATE_LIMIT, code != null ? code : "rate_limit_exceeded", param,
                    "Provider '" + provider + "' is rate limiting requests: " + message, retryAfter);
        }
        if (status >= 500) {
            int mapped = status == 504 ? 504 : 502;
            return new UpstreamException(provider, UpstreamException.Kind.SERVER_ERROR, status, mapped,
                    ApiException.UPSTREAM_ERROR, "upstream_error", null,
                    "Provider '" + provider + "' failed with HTTP " + status + ": " + message, retryAfter);
        }
        if (status == 401 || status == 403) {
            return new UpstreamException(provider, UpstreamException.Kind.AUTHENTICATION, status, status,
                    status == 401 ? ApiException.AUTHENTICATION : ApiException.PERMISSION,
                    code != null ? code : "upstream_auth_failed", param,
                    "Provider '" + provider + "' refused Sluice's credentials (HTTP " + status + "): " + message, null);
        }
        UpstreamException.Kind kind = contextWindow(code, message) ? UpstreamException.Kind.CONTEXT_WINDOW
                : UpstreamException.Kind.CLIENT_ERROR;
        return new UpstreamException(provider, kind, status, status >= 400 ? status : 502,
                type != null && type.contains("error") ? type : ApiException.INVALID_REQUEST, code, param, message, null);
    }

    /** Whether an error says the prompt exceeds the model's context window (as OpenAI and most peers word it). */
    static boolean contextWindow(String code, String message) {
        if ("context_length_exceeded".equals(code)) {
            return true;
        }
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("context length") || m.contains("context window") || m.contains("maximum context")
                || m.contains("too many tokens") || m.contains("prompt is too long");
    }

    /** Retry-After as seconds or an HTTP date, or retry-after-ms; null when absent or unreadable. */
    public static Duration retryAfter(Function<String, String> header) {
        String ms = header.apply("retry-after-ms");
        if (ms != null) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(ms.trim()));
            } catch (NumberFormatException ignored) {
                // try the other forms
            }
        }
        String value = header.apply("retry-after");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (Exception unreadable) {
                return null;
            }
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
