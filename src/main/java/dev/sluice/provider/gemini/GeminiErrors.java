package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.secrets.Secrets;
import dev.sluice.provider.UpstreamErrorReader;
import dev.sluice.provider.UpstreamErrors;
import dev.sluice.provider.UpstreamException;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Gemini's errors ({@code {"error": {"code", "message", "status", "details"}}}, Google's API error format, as a
 * response body or inside a stream) mapped to the statuses and types OpenAI clients know:
 *
 * <table>
 *   <tr><th>Gemini status</th><th>client sees</th></tr>
 *   <tr><td>INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE (400)</td><td>400 invalid_request_error
 *       ({@code context_length_exceeded} when the prompt is too long); an invalid API key
 *       ({@code API_KEY_INVALID}) → 401</td></tr>
 *   <tr><td>UNAUTHENTICATED (401)</td><td>401 authentication_error</td></tr>
 *   <tr><td>PERMISSION_DENIED (403)</td><td>403 permission_error</td></tr>
 *   <tr><td>NOT_FOUND (404)</td><td>404 ({@code model_not_found} for a model)</td></tr>
 *   <tr><td>RESOURCE_EXHAUSTED (429)</td><td>429 rate_limit_error, the retry delay kept as Retry-After</td></tr>
 *   <tr><td>INTERNAL (500), UNKNOWN</td><td>502 upstream_error</td></tr>
 *   <tr><td>UNAVAILABLE (503)</td><td>503 upstream_error ({@code upstream_overloaded}), retryable</td></tr>
 *   <tr><td>DEADLINE_EXCEEDED (504)</td><td>504 upstream_timeout</td></tr>
 * </table>
 * The retry delay comes from the response's Retry-After header or from the error's
 * {@code google.rpc.RetryInfo} detail ({@code "retryDelay": "37s"}). Messages are masked for secrets.
 */
final class GeminiErrors extends UpstreamErrorReader {

    GeminiErrors(String provider, ObjectMapper mapper) {
        super(provider, mapper);
    }

    @Override
    protected UpstreamException read(int status, Function<String, String> header, byte[] body, JsonNode root) {
        if (root != null && root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        if (root == null || !root.path("error").isObject()) {
            return byStatus(status, header, body);
        }
        return fromJson(status, root, header);
    }

    @Override
    public boolean isError(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return body.path("error").isObject() && !body.has("candidates");
    }

    /** An error object: a response body, or an event inside a stream (then {@code status} is a fallback). */
    UpstreamException fromJson(int status, JsonNode root, Function<String, String> header) {
        JsonNode error = root.path("error");
        int code = error.path("code").asInt(status);
        String grpc = error.path("status").asText("");
        String message = Secrets.redact(error.path("message").asText("no message"));
        Duration retryAfter = UpstreamErrors.retryAfter(header);
        String reason = "";
        for (JsonNode detail : error.path("details")) {
            String type = detail.path("@type").asText("");
            if (type.endsWith("google.rpc.RetryInfo") && retryAfter == null) {
                retryAfter = duration(detail.path("retryDelay").asText(""));
            } else if (type.endsWith("google.rpc.ErrorInfo")) {
                reason = detail.path("reason").asText("");
            }
        }
        if ("API_KEY_INVALID".equals(reason) || "UNAUTHENTICATED".equals(grpc) || code == 401) {
            return credentialsRefused(code, "refused Sluice's credentials (HTTP " + code + "): " + message);
        }
        return switch (grpc.isEmpty() ? statusName(code) : grpc) {
            case "PERMISSION_DENIED" -> permissionDenied(code, "refused the request (HTTP " + code + "): " + message);
            case "NOT_FOUND" -> notFound(code, message.toLowerCase(Locale.ROOT).contains("models/"), message);
            case "RESOURCE_EXHAUSTED" -> rateLimited(code, "is rate limiting requests: " + message, retryAfter);
            case "UNAVAILABLE" -> unavailable(code, "upstream_overloaded", "is unavailable (HTTP " + code + "): "
                    + message, retryAfter);
            case "DEADLINE_EXCEEDED" -> timedOut(code, "timed out (HTTP " + code + "): " + message, retryAfter);
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> invalid(code,
                    code / 100 == 4 ? code : 400, message, mentions(message, "exceeds the maximum number of tokens",
                            "context window", "too many tokens", "input token count"));
            default -> code >= 500 || code < 400
                    ? failed(code, code == 504 ? 504 : 502, "failed with HTTP " + code
                    + (grpc.isEmpty() ? "" : " (" + grpc + ")") + ": " + message, retryAfter)
                    : rejected(code, code, grpc.isEmpty() ? null : grpc.toLowerCase(Locale.ROOT), message);
        };
    }

    private static String statusName(int code) {
        return switch (code) {
            case 400 -> "INVALID_ARGUMENT";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "";
        };
    }

    /** A protobuf Duration in JSON form: {@code "37s"}, {@code "1.5s"}. */
    static Duration duration(String value) {
        if (value == null || !value.endsWith("s")) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
