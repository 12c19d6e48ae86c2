package dev.sluice.provider.anthropic;

import dev.sluice.anthropic.AnthropicWire;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;
import dev.sluice.provider.UpstreamErrorReader;
import dev.sluice.provider.UpstreamErrors;
import dev.sluice.provider.UpstreamException;
import dev.sluice.provider.UpstreamException.Kind;

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
final class AnthropicErrors extends UpstreamErrorReader {

    AnthropicErrors(String provider, ObjectMapper mapper) {
        super(provider, mapper);
    }

    @Override
    protected UpstreamException read(int status, Function<String, String> header, byte[] body, JsonNode root) {
        JsonNode error = root == null ? null : root.path("error");
        String type = error == null ? null : error.path("type").asText(null);
        if (type == null) {
            if (status == 529) {
                return map("overloaded_error", status, "the provider is overloaded", header);
            }
            return byStatus(status, header, body);
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
        return switch (type) {
            case "invalid_request_error" -> invalid(status, status / 100 == 4 ? status : 400, message,
                    mentions(message, "prompt is too long", "context window", "context length", "too many tokens"));
            case "authentication_error" -> credentialsRefused(status, "refused Sluice's credentials (HTTP " + status
                    + "): " + message);
            case "permission_error" -> permissionDenied(status, "refused the request (HTTP " + status + "): "
                    + message);
            case "billing_error" -> new UpstreamException(provider, Kind.AUTHENTICATION, status, 402,
                    ApiException.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                    who() + " refused the request for billing reasons: " + message, null);
            case "not_found_error" -> notFound(status, message.toLowerCase(Locale.ROOT).startsWith("model"), message);
            case "request_too_large" -> rejected(status, 413, "request_too_large", message);
            case "rate_limit_error" -> rateLimited(status, "is rate limiting requests: " + message, retryAfter);
            case "overloaded_error" -> unavailable(status, "upstream_overloaded", "is overloaded (HTTP " + status
                    + "): " + message, retryAfter);
            case "timeout_error" -> timedOut(status, "timed out (HTTP " + status + "): " + message, retryAfter);
            case "api_error" -> failed(status, 502, "failed with HTTP " + status + ": " + message, retryAfter);
            default -> status >= 500
                    ? failed(status, status == 504 ? 504 : 502, "failed with HTTP " + status + " (" + type + "): "
                    + message, retryAfter)
                    : rejected(status, status >= 400 ? status : 502, type, message);
        };
    }
}
