package dev.sluice.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import dev.sluice.provider.UpstreamException.Kind;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The base of a native protocol's error mapping: each upstream names its errors its own way (Anthropic's
 * {@code error.type}, Google's gRPC status, AWS's exception names) but they all land on the same few outcomes a
 * client of OpenAI knows. The outcomes are built here, once, so the status, type and code of "rate limited" or
 * "credentials refused" are the same whichever upstream said it; a subclass only decides which outcome its
 * upstream's error is and words the message.
 */
public abstract class UpstreamErrorReader implements JsonUpstream.ErrorReader {

    protected final String provider;
    protected final ObjectMapper mapper;

    protected UpstreamErrorReader(String provider, ObjectMapper mapper) {
        this.provider = provider;
        this.mapper = mapper;
    }

    /** The body as JSON, or null when it is empty or not JSON (the caller then maps by status). */
    protected JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Reads the body as JSON once for every protocol, then lets the protocol decide what its error is. */
    @Override
    public final UpstreamException read(int status, Function<String, String> header, byte[] body) {
        return read(status, header, body, parse(body));
    }

    /**
     * The error of a non-2xx answer.
     *
     * @param root the body as JSON, or null when it is empty or not JSON (then map by status: {@link #byStatus})
     */
    protected abstract UpstreamException read(int status, Function<String, String> header, byte[] body,
                                              JsonNode root);

    /** The generic mapping by HTTP status, for an answer in no form the upstream documents. */
    protected UpstreamException byStatus(int status, Function<String, String> header, byte[] body) {
        return UpstreamErrors.from(provider, status, header, body, mapper);
    }

    /** How messages name the provider: {@code Provider 'name'}. */
    protected String who() {
        return "Provider '" + provider + "'";
    }

    /** Whether the (already masked) message says the prompt is too long, in one of the upstream's wordings. */
    protected static boolean mentions(String message, String... phrases) {
        String m = message.toLowerCase(Locale.ROOT);
        for (String phrase : phrases) {
            if (m.contains(phrase)) {
                return true;
            }
        }
        return false;
    }

    // ---- the outcomes -------------------------------------------------------------------------------------

    /** The request is wrong: {@code context_length_exceeded} when it is too long, else {@code invalid_request}. */
    protected UpstreamException invalid(int status, int mapped, String message, boolean tooLong) {
        return new UpstreamException(provider, tooLong ? Kind.CONTEXT_WINDOW : Kind.CLIENT_ERROR, status, mapped,
                ApiException.INVALID_REQUEST, tooLong ? "context_length_exceeded" : "invalid_request", null,
                message, null);
    }

    /** Sluice's credentials were refused: a 401. {@code text} follows the provider's name. */
    protected UpstreamException credentialsRefused(int status, String text) {
        return new UpstreamException(provider, Kind.AUTHENTICATION, status, 401, ApiException.AUTHENTICATION,
                "upstream_auth_failed", null, who() + " " + text, null);
    }

    /** The credentials are valid but may not do this: a 403. */
    protected UpstreamException permissionDenied(int status, String text) {
        return new UpstreamException(provider, Kind.AUTHENTICATION, status, 403, ApiException.PERMISSION,
                "upstream_permission_denied", null, who() + " " + text, null);
    }

    /** A 404: {@code model_not_found} naming {@code model} when it is the model that is unknown. */
    protected UpstreamException notFound(int status, boolean model, String message) {
        return new UpstreamException(provider, Kind.CLIENT_ERROR, status, 404, ApiException.INVALID_REQUEST,
                model ? "model_not_found" : "not_found", model ? "model" : null, message, null);
    }

    /** A 429, its retry delay kept. */
    protected UpstreamException rateLimited(int status, String text, Duration retryAfter) {
        return new UpstreamException(provider, Kind.RATE_LIMITED, status, 429, ApiException.RATE_LIMIT,
                "rate_limit_exceeded", null, who() + " " + text, retryAfter);
    }

    /** A 503 worth retrying elsewhere ({@code code}: overloaded, unavailable). */
    protected UpstreamException unavailable(int status, String code, String text, Duration retryAfter) {
        return new UpstreamException(provider, Kind.SERVER_ERROR, status, 503, ApiException.UPSTREAM_ERROR, code,
                null, who() + " " + text, retryAfter);
    }

    /** The upstream ran out of time: a 504. */
    protected UpstreamException timedOut(int status, String text, Duration retryAfter) {
        return new UpstreamException(provider, Kind.TIMEOUT, status, 504, ApiException.SERVER_ERROR,
                "upstream_timeout", null, who() + " " + text, retryAfter);
    }

    /** The upstream failed: {@code mapped} is 502, or 504 for a gateway timeout. */
    protected UpstreamException failed(int status, int mapped, String text, Duration retryAfter) {
        return new UpstreamException(provider, Kind.SERVER_ERROR, status, mapped, ApiException.UPSTREAM_ERROR,
                "upstream_error", null, who() + " " + text, retryAfter);
    }

    /** Any other client error, with the upstream's own code. */
    protected UpstreamException rejected(int status, int mapped, String code, String message) {
        return new UpstreamException(provider, Kind.CLIENT_ERROR, status, mapped, ApiException.INVALID_REQUEST, code,
                null, message, null);
    }
}
