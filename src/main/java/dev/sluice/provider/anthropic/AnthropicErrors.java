package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;
import dev.sluice.provider.JsonUpstream;
import dev.sluice.provider.UpstreamErrors;
import dev.sluice.provider.UpstreamException;
import dev.sluice.provider.UpstreamException.Kind;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Anthropic's errors ({@code {"type": "error", "error": {"type", "message"}}}, as a response body or as an
 * {@code error} event inside a stream) mapped to the statuses and types OpenAI clients know:
 *
 * <table>
 *   <tr><th>Anthropic</th><th>client sees</th></tr>
 *   <tr><td>invalid_request_error (400)</td><td>400 invalid_request_error ({@code context_length_exceeded} when
 *       the prompt is too long)</td></tr>
 *   <tr><td>authentication_error (401)</td><td>401 authentication_error</td></tr>
 *   <tr><td>billing_error (402)</td><td>402 insufficient_quota</td></tr>
 *   <tr><td>permission_error (403)</td><td>403 permission_error</td></tr>
 *   <tr><td>not_found_error (404)</td><td>404 invalid_request_error ({@code model_not_found} for a model)</td></tr>
 *   <tr><td>request_too_large (413)</td><td>413 invalid_request_error</td></tr>
 *   <tr><td>rate_limit_error (429)</td><td>429 rate_limit_error, Retry-After kept</td></tr>
 *   <tr><td>api_error (500)</td><td>502 upstream_error</td></tr>
 *   <tr><td>timeout_error (504)</td><td>504 upstream_timeout</td></tr>
 *   <tr><td>overloaded_error (529)</td><td>503 upstream_error ({@code upstream_overloaded}), Retry-After kept</td></tr>
 * </table>
 * Anything else falls back to the generic mapping by HTTP status. Messages are masked for secrets.
 */
final class AnthropicErrors implements JsonUpstream.ErrorReader {

    private final String provider;
    private final ObjectMapper mapper;

    AnthropicErrors(String provider, ObjectMapper mapper) {
        this.provider = provider;
        this.mapper = mapper;
    }

    @Override
    public UpstreamException read(int status, Function<String, String> header, byte[] body) {
        JsonNode root = null;
        try {
            root = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException notJson) {
            // mapped by status below
        }
        JsonNode error = root == null ? null : root.path("error");
        String type = error == null ? null : error.path("type").asText(null);
        if (type == null) {
            if (status == 529) {
                return map("overloaded_error", status, "the provider is overloaded", header);
            }
            return UpstreamErrors.from(provider, status, header, body, mapper);
        }
        String message = error.path("message").asText("no message");
        String requestId = header.apply(AnthropicWire.REQUEST_ID_HEADER);
        if (requestId == null && root.path("request_id").isTextual()) {
            requestId = root.path("request_id").asText();
        }
        if (requestId != null && status >= 500) {
            message = message + " (Anthropic request id " + requestId + ")";
        }
        return map(type, status, message, header);
    }

    /** An {@code error} event received inside a stream: no HTTP status, no headers. */
    UpstreamException fromEvent(JsonNode event) {
        JsonNode error = event.path("error");
        String type = error.path("type").asText("api_error");
        return map(type, statusOf(type), error.path("message").asText("no message"), h -> null);
    }

    /** The HTTP status Anthropic gives an error type. */
    static int statusOf(String type) {
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    private UpstreamException map(String type, int status, String rawMessage, Function<String, String> header) {
        String message = Secrets.redact(rawMessage);
        Duration retryAfter = UpstreamErrors.retryAfter(header);
        String who = "Provider '" + provider + "'";
        return switch (type) {
            case "invalid_request_error" -> {
                boolean tooLong = contextWindow(message);
                yield new UpstreamException(provider, tooLong ? Kind.CONTEXT_WINDOW : Kind.CLIENT_ERROR, status,
                        status / 100 == 4 ? status : 400, ApiException.INVALID_REQUEST,
                        tooLong ? "context_length_exceeded" : "invalid_request", null, message, null);
            }
            case "authentication_error" -> new UpstreamException(provider, Kind.AUTHENTICATION, status, 401,
                    ApiException.AUTHENTICATION, "upstream_auth_failed", null,
                    who + " refused Sluice's credentials (HTTP " + status + "): " + message, null);
            case "permission_error" -> new UpstreamException(provider, Kind.AUTHENTICATION, status, 403,
                    ApiException.PERMISSION, "upstream_permission_denied", null,
                    who + " refused the request (HTTP " + status + "): " + message, null);
            case "billing_error" -> new UpstreamException(provider, Kind.AUTHENTICATION, status, 402,
                    ApiException.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                    who + " refused the request for billing reasons: " + message, null);
            case "not_found_error" -> new UpstreamException(provider, Kind.CLIENT_ERROR, status, 404,
                    ApiException.INVALID_REQUEST,
                    message.toLowerCase(Locale.ROOT).startsWith("model") ? "model_not_found" : "not_found",
                    message.toLowerCase(Locale.ROOT).startsWith("model") ? "model" : null, message, null);
            case "request_too_large" -> new UpstreamException(provider, Kind.CLIENT_ERROR, status, 413,
                    ApiException.INVALID_REQUEST, "request_too_large", null, message, null);
            case "rate_limit_error" -> new UpstreamException(provider, Kind.RATE_LIMITED, status, 429,
                    ApiException.RATE_LIMIT, "rate_limit_exceeded", null,
                    who + " is rate limiting requests: " + message, retryAfter);
            case "overloaded_error" -> new UpstreamException(provider, Kind.SERVER_ERROR, status, 503,
                    ApiException.UPSTREAM_ERROR, "upstream_overloaded", null,
                    who + " is overloaded (HTTP " + status + "): " + message, retryAfter);
            case "timeout_error" -> new UpstreamException(provider, Kind.TIMEOUT, status, 504,
                    ApiException.SERVER_ERROR, "upstream_timeout", null,
                    who + " timed out (HTTP " + status + "): " + message, retryAfter);
            case "api_error" -> new UpstreamException(provider, Kind.SERVER_ERROR, status, 502,
                    ApiException.UPSTREAM_ERROR, "upstream_error", null,
                    who + " failed with HTTP " + status + ": " + message, retryAfter);
            default -> status >= 500
                    ? new UpstreamException(provider, Kind.SERVER_ERROR, status, status == 504 ? 504 : 502,
                    ApiException.UPSTREAM_ERROR, "upstream_error", null,
                    who + " failed with HTTP " + status + " (" + type + "): " + message, retryAfter)
                    : new UpstreamException(provider, Kind.CLIENT_ERROR, status, status >= 400 ? status : 502,
                    ApiException.INVALID_REQUEST, type, null, message, null);
        };
    }

    private static boolean contextWindow(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("prompt is too long") || m.contains("context window") || m.contains("context length")
                || m.contains("too many tokens");
    }
}
