package dev.sluice.openai;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure that reaches the client as OpenAI's error envelope
 * {@code {"error": {"message", "type", "param", "code"}}} with the given HTTP status.
 *
 * <p>Messages are written for the person reading them and never carry a key, a secret or a stack trace. The
 * exception keeps no stack trace either: it is an expected outcome on the request path, not a bug report.
 */
public class ApiException extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String PERMISSION = "permission_error";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String INSUFFICIENT_QUOTA = "insufficient_quota";
    public static final String SERVER_ERROR = "server_error";
    public static final String UPSTREAM_ERROR = "upstream_error";

    private final int status;
    /** What the client is told, built once: the body of the envelope. */
    private final ErrorEnvelope.Body error;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = new ErrorEnvelope.Body(message, type, param, code);
    }

    public static ApiException invalidRequest(String message, String param) {
        return new ApiException(400, INVALID_REQUEST, "invalid_request", param, message);
    }

    public static ApiException invalidRequest(String message, String param, String code) {
        return new ApiException(400, INVALID_REQUEST, code, param, message);
    }

    public static ApiException modelNotFound(String message) {
        return new ApiException(404, INVALID_REQUEST, "model_not_found", "model", message);
    }

    public static ApiException notFound(String message, String code) {
        return new ApiException(404, INVALID_REQUEST, code, null, message);
    }

    public static ApiException unauthorized(String message, String code) {
        return new ApiException(401, AUTHENTICATION, code, null, message);
    }

    public static ApiException forbidden(String message, String code) {
        return new ApiException(403, PERMISSION, code, null, message);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, SERVER_ERROR, "internal_error", null, message);
    }

    /** Adds a response header (Retry-After, rate-limit headers...) sent with this error. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return error.type();
    }

    public String code() {
        return error.code();
    }

    public String param() {
        return error.param();
    }

    public Map<String, String> headers() {
        return headers;
    }

    public ErrorEnvelope envelope() {
        return new ErrorEnvelope(error);
    }
}
