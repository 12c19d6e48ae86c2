package dev.sluice.provider;

import dev.sluice.openai.ApiException;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that failed, classified so that callers (retries, fallbacks, breakers, billing) can decide what
 * to do without parsing messages. The client still sees an ordinary OpenAI error envelope.
 */
public final class UpstreamException extends ApiException {

    /** What went wrong, as far as routing decisions are concerned. */
    public enum Kind {
        /** 429 from the provider. */
        RATE_LIMITED(true),
        /** 5xx from the provider, or a response Sluice could not understand. */
        SERVER_ERROR(true),
        /** No answer (or no further stream chunk) in time. */
        TIMEOUT(true),
        /** The connection could not be opened, or broke. */
        CONNECTION(true),
        /** 401/403: Sluice's credentials for this provider were refused. */
        AUTHENTICATION(false),
        /** The prompt does not fit the model's context window. */
        CONTEXT_WINDOW(false),
        /** Any other 4xx: the request itself is wrong; another deployment would refuse it too. */
        CLIENT_ERROR(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final String provider;
    private final Kind kind;
    private final int upstreamStatus;
    private final Duration retryAfter;

    public UpstreamException(String provider, Kind kind, int upstreamStatus, int status, String type, String code,
                             String param, String message, Duration retryAfter) {
        super(status, type, code, param, message);
        this.provider = provider;
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
        if (retryAfter != null) {
            withHeader("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
    }

    public static UpstreamException timeout(String provider, String what) {
        return new UpstreamException(provider, Kind.TIMEOUT, 0, 504, SERVER_ERROR, "upstream_timeout", null,
                "Provider '" + provider + "' did not answer in time (" + what + ")", null);
    }

    public static UpstreamException connection(String provider, String detail) {
        return new UpstreamException(provider, Kind.CONNECTION, 0, 502, UPSTREAM_ERROR, "upstream_unavailable", null,
                "Could not reach provider '" + provider + "': " + detail, null);
    }

    public static UpstreamException badResponse(String provider, String detail) {
        return new UpstreamException(provider, Kind.SERVER_ERROR, 0, 502, UPSTREAM_ERROR, "upstream_bad_response",
                null, "Provider '" + provider + "' sent a response Sluice could not read: " + detail, null);
    }

    public String provider() {
        return provider;
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's HTTP status, or 0 when no response arrived. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean retryable() {
        return kind.retryable();
    }
}
