package dev.sluice.provider.bedrock;

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
final class BedrockErrors implements JsonUpstream.ErrorReader {

    private final String provider;
    private final ObjectMapper mapper;

    BedrockErrors(String provider, ObjectMapper mapper) {
        this.provider = provider;
        this.mapper = mapper;
    }

    @Override
    public UpstreamException read(int status, Function<String, String> header, byte[] body) {
        JsonNode root = parse(body);
        String type = exceptionName(header.apply(BedrockWire.ERROR_TYPE_HEADER));
        if (type == null && root != null) {
            type = exceptionName(root.path("__type").asText(null));
        }
        String message = root == null ? null : root.path("message").asText(root.path("Message").asText(null));
        if (type == null && message == null) {
            return UpstreamErrors.from(provider, status, header, body, mapper);
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

    private JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
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
        String who = "Provider '" + provider + "'";
        String support = requestId == null ? "" : " (AWS request id " + requestId + ")";
        return switch (type) {
            case "ValidationException" -> {
                boolean tooLong = contextWindow(message);
                yield new UpstreamException(provider, tooLong ? Kind.CONTEXT_WINDOW : Kind.CLIENT_ERROR, status, 400,
                        ApiException.INVALID_REQUEST, tooLong ? "context_length_exceeded" : "invalid_request", null,
                        message, null);
            }
            case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
                 "MissingAuthenticationTokenException", "IncompleteSignatureException" ->
                    new UpstreamException(provider, Kind.AUTHENTICATION, status, 401, ApiException.AUTHENTICATION,
                            "upstream_auth_failed", null, who + " refused Sluice's AWS credentials (" + type + "): "
                            + message, null);
            case "AccessDeniedException" -> new UpstreamException(provider, Kind.AUTHENTICATION, status, 403,
                    ApiException.PERMISSION, "upstream_permission_denied", null,
                    who + " refused the request (" + type + "): " + message, null);
            case "ResourceNotFoundException" -> new UpstreamException(provider, Kind.CLIENT_ERROR, status, 404,
                    ApiException.INVALID_REQUEST, "model_not_found", "model", message, null);
            case "ThrottlingException", "ServiceQuotaExceededException" -> new UpstreamException(provider,
                    Kind.RATE_LIMITED, status, 429, ApiException.RATE_LIMIT, "rate_limit_exceeded", null,
                    who + " is rate limiting requests (" + type + "): " + message, retryAfter);
            case "ModelTimeoutException" -> new UpstreamException(provider, Kind.TIMEOUT, status, 504,
                    ApiException.SERVER_ERROR, "upstream_timeout", null,
                    who + " timed out (" + type + "): " + message + support, retryAfter);
            case "ModelNotReadyException", "ServiceUnavailableException" -> new UpstreamException(provider,
                    Kind.SERVER_ERROR, status, 503, ApiException.UPSTREAM_ERROR, "upstream_unavailable", null,
                    who + " is not ready (" + type + "): " + message + support, retryAfter);
            case "ModelErrorException", "ModelStreamErrorException", "InternalServerException" ->
                    new UpstreamException(provider, Kind.SERVER_ERROR, status, 502, ApiException.UPSTREAM_ERROR,
                            "upstream_error", null, who + " failed (" + type + "): " + message + support, retryAfter);
            default -> status >= 500 || status < 400
                    ? new UpstreamException(provider, Kind.SERVER_ERROR, status, status == 504 ? 504 : 502,
                    ApiException.UPSTREAM_ERROR, "upstream_error", null,
                    who + " failed with HTTP " + status + (type.isEmpty() ? "" : " (" + type + ")") + ": " + message
                            + support, retryAfter)
                    : new UpstreamException(provider, Kind.CLIENT_ERROR, status, status, ApiException.INVALID_REQUEST,
                    type.isEmpty() ? null : type, null, message, null);
        };
    }

    private static boolean contextWindow(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("too many input tokens") || m.contains("input is too long") || m.contains("context window")
                || m.contains("prompt is too long") || m.contains("too many tokens") || m.contains("context length");
    }
}
