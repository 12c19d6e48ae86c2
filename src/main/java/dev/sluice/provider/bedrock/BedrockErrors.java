package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.secrets.Secrets;
import dev.sluice.provider.UpstreamErrorReader;
import dev.sluice.provider.UpstreamErrors;
import dev.sluice.provider.UpstreamException;

import java.time.Duration;
import java.util.function.Function;

/**
 * Bedrock's errors (the exception name in the {@code x-amzn-ErrorType} header or the body's {@code __type}, the
 * text in {@code message}; inside a stream, an {@code exception} message whose {@code :exception-type} header
 * names it) mapped to the statuses and types OpenAI clients know:
 *
 * <table>
 *   <tr><th>Bedrock</th><th>client sees</th></tr>
 *   <tr><td>ValidationException (400)</td><td>400 invalid_request_error ({@code context_length_exceeded} when the
 *       input is too long)</td></tr>
 *   <tr><td>UnrecognizedClientException, InvalidSignatureException, ExpiredTokenException,
 *       MissingAuthenticationTokenException</td><td>401 authentication_error</td></tr>
 *   <tr><td>AccessDeniedException (403)</td><td>403 permission_error</td></tr>
 *   <tr><td>ResourceNotFoundException (404)</td><td>404 model_not_found</td></tr>
 *   <tr><td>ThrottlingException (429), ServiceQuotaExceededException</td><td>429 rate_limit_error, Retry-After
 *       kept</td></tr>
 *   <tr><td>ModelTimeoutException (408)</td><td>504 upstream_timeout</td></tr>
 *   <tr><td>ModelNotReadyException, ServiceUnavailableException (503)</td><td>503 upstream_error
 *       ({@code upstream_unavailable}), retryable</td></tr>
 *   <tr><td>ModelErrorException (424), ModelStreamErrorException, InternalServerException (500)</td><td>502
 *       upstream_error</td></tr>
 * </table>
 * Messages are masked for secrets; the AWS request id is appended to server-side failures for support cases.
 */
final class BedrockErrors extends UpstreamErrorReader {

    BedrockErrors(String provider, ObjectMapper mapper) {
        super(provider, mapper);
    }

    @Override
    protected UpstreamException read(int status, Function<String, String> header, byte[] body, JsonNode root) {
        String type = exceptionName(header.apply(BedrockWire.ERROR_TYPE_HEADER));
        if (type == null && root != null) {
            type = exceptionName(root.path("__type").asText(null));
        }
        String message = root == null ? null : root.path("message").asText(root.path("Message").asText(null));
        if (type == null && message == null) {
            return byStatus(status, header, body);
        }
        String requestId = header.apply(BedrockWire.REQUEST_ID_HEADER);
        return map(type == null ? "" : type, status, message == null ? "no message" : message, requestId,
                UpstreamErrors.retryAfter(header));
    }

    @Override
    public boolean isError(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return body.has("__type") && !body.has("output");
    }

    /** An {@code exception} (or {@code error}) message of an event stream. */
    UpstreamException fromStream(String type, byte[] payload) {
        JsonNode root = parse(payload);
        String message = root == null ? "no message" : root.path("message").asText(root.path("Message")
                .asText("no message"));
        String name = exceptionName(type);
        return map(name == null ? "" : name, statusOf(name), message, null, null);
    }

    /** {@code ValidationException:http://internal...} or {@code com.amazon...#ValidationException} → the name. */
    static String exceptionName(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String name = raw;
        int colon = name.indexOf(':');
        if (colon > 0) {
            name = name.substring(0, colon);
        }
        int hash = name.lastIndexOf('#');
        if (hash >= 0) {
            name = name.substring(hash + 1);
        }
        // stream exception types are lower camel case (throttlingException)
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static int statusOf(String type) {
        if (type == null) {
            return 500;
        }
        return switch (type) {
            case "ValidationException" -> 400;
            case "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException" -> 403;
            case "ResourceNotFoundException" -> 404;
            case "ModelTimeoutException" -> 408;
            case "ModelErrorException" -> 424;
            case "ThrottlingException", "ModelNotReadyException" -> 429;
            case "ServiceUnavailableException" -> 503;
            default -> 500;
        };
    }

    private UpstreamException map(String type, int status, String rawMessage, String requestId, Duration retryAfter) {
        String message = Secrets.redact(rawMessage);
        String support = requestId == null ? "" : " (AWS request id " + requestId + ")";
        String named = "(" + type + "): " + message;
        return switch (type) {
            case "ValidationException" -> invalid(status, 400, message, mentions(message, "too many input tokens",
                    "input is too long", "context window", "prompt is too long", "too many tokens", "context length"));
            case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
                 "MissingAuthenticationTokenException", "IncompleteSignatureException" ->
                    credentialsRefused(status, "refused Sluice's AWS credentials " + named);
            case "AccessDeniedException" -> permissionDenied(status, "refused the request " + named);
            case "ResourceNotFoundException" -> notFound(status, true, message);
            case "ThrottlingException", "ServiceQuotaExceededException" ->
                    rateLimited(status, "is rate limiting requests " + named, retryAfter);
            case "ModelTimeoutException" -> timedOut(status, "timed out " + named + support, retryAfter);
            case "ModelNotReadyException", "ServiceUnavailableException" ->
                    unavailable(status, "upstream_unavailable", "is not ready " + named + support, retryAfter);
            case "ModelErrorException", "ModelStreamErrorException", "InternalServerException" ->
                    failed(status, 502, "failed " + named + support, retryAfter);
            default -> status >= 500 || status < 400
                    ? failed(status, status == 504 ? 504 : 502, "failed with HTTP " + status
                    + (type.isEmpty() ? "" : " (" + type + ")") + ": " + message + support, retryAfter)
                    : rejected(status, status, type.isEmpty() ? null : type, message);
        };
    }
}
