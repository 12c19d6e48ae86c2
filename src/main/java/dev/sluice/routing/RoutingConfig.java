package dev.sluice.routing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Routing settings under {@code sluice.routing}: where the model groups are declared, and the router-wide
 * defaults that a routing file's {@code settings:} block and each group may override. Documented in docs/configuration.md's
 * configuration table.
 */
@ConfigMapping(prefix = "sluice.routing")
public interface RoutingConfig {

    /**
     * Routing files, comma-separated: Sluice {@code models.yaml} files and/or LiteLLM {@code config.yaml} files
     * (told apart by their content). Without one, only plain model names route (provider/model, aliases, rules).
     */
    Optional<List<String>> configFile();

    /** How often the routing files are checked for changes; {@code 0} turns watching off. */
    @WithDefault("5s")
    Duration watchInterval();

    /** How a deployment is picked within a priority tier: weighted-random, least-in-flight, lowest-latency, lowest-cost. */
    @WithDefault("weighted-random")
    String strategy();

    /** Further attempts within one model group after its first, before its fallbacks are tried. */
    @WithDefault("2")
    int retries();

    /** Further attempts for a plain model name (one provider, no group) on 429, 5xx, timeouts and connection errors. */
    @WithDefault("1")
    int directRetries();

    /** Most upstream attempts one request may make, fallbacks included: the per-request retry budget. */
    @WithDefault("6")
    int maxAttempts();

    /** Most fallback groups tried for one request. */
    @WithDefault("5")
    int maxFallbacks();

    /**
     * Deadline of a whole request across all its attempts and waits (for a stream: until its first chunk). Each
     * attempt gets what remains of it at most.
     */
    @WithDefault("600s")
    Duration requestTimeout();

    /** First wait before retrying a deployment that failed; doubled at each retry, with jitter. */
    @WithDefault("200ms")
    Duration backoffInitial();

    /** Longest wait between two attempts on the same deployment. */
    @WithDefault("4s")
    Duration backoffMax();

    /**
     * A Retry-After up to this long is honoured (the deployment is retried after it); a longer one takes the
     * deployment out of this request and is passed on to the client if nothing else can serve it.
     */
    @WithDefault("5s")
    Duration maxRetryAfter();

    /** How long a deployment that answered 429 without a Retry-After rests before it gets traffic again. */
    @WithDefault("5s")
    Duration rateLimitCooldown();

    /**
     * Time allowed for a stream's first chunk (connection, headers and first event); defaults to
     * {@code sluice.upstream.stream-idle-timeout}. Does not apply to non-streaming calls: they are bounded by their
     * total timeout alone.
     */
    Optional<Duration> firstByteTimeout();

    /** Circuit breakers of group deployments. */
    Breaker breaker();

    interface Breaker {
        /** Set false to run groups without circuit breakers. */
        @WithDefault("true")
        boolean enabled();

        /** Number of most recent calls the failure ratio is computed over. */
        @WithDefault("10")
        int window();

        /** Share of failures (5xx, timeouts, connection errors) in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker keeps its deployment out of rotation before letting probes through. */
        @WithDefault("30s")
        Duration openFor();

        /** Successful probes needed to close a half-open breaker. */
        @WithDefault("1")
        int probes();
    }
}
