package dev.sluice.routing;

import dev.sluice.routing.config.Strategy;
import dev.sluice.config.SluiceConfig;
import dev.sluice.routing.config.SettingsOverrides;

import java.time.Duration;

/**
 * The routing settings in force for one group (or for plain model names): {@code sluice.routing.*} with the
 * routing file's {@code settings:} and the group's own settings applied over them.
 */
public record RouteSettings(Strategy strategy, int retries, int maxAttempts, int maxFallbacks,
                            Duration requestTimeout, Duration backoffInitial, Duration backoffMax,
                            Duration maxRetryAfter, Duration rateLimitCooldown, boolean breakerEnabled,
                            int breakerWindow, double breakerFailureRatio, Duration breakerOpenFor,
                            int breakerProbes, Timeouts timeouts) {

    public static RouteSettings defaults(RoutingConfig routing, SluiceConfig sluice) {
        SluiceConfig.Upstream up = sluice.upstream();
        Strategy strategy = Strategy.parse(routing.strategy()).orElseThrow(() -> new IllegalStateException(
                "sluice.routing.strategy=" + routing.strategy() + " is not a strategy (known: " + Strategy.names() + ")"));
        RoutingConfig.Breaker b = routing.breaker();
        return new RouteSettings(strategy, routing.retries(), routing.maxAttempts(), routing.maxFallbacks(),
                routing.requestTimeout(), routing.backoffInitial(), routing.backoffMax(), routing.maxRetryAfter(),
                routing.rateLimitCooldown(), b.enabled(), b.window(), b.failureRatio(), b.openFor(), b.probes(),
                new Timeouts(up.connectTimeout(), routing.firstByteTimeout().orElse(up.streamIdleTimeout()),
                        up.timeout(), up.streamIdleTimeout()));
    }

    public RouteSettings apply(SettingsOverrides o) {
        return new RouteSettings(
                o.strategy() != null ? o.strategy() : strategy,
                o.retries() != null ? o.retries() : retries,
                o.maxAttempts() != null ? o.maxAttempts() : maxAttempts,
                o.maxFallbacks() != null ? o.maxFallbacks() : maxFallbacks,
                o.requestTimeout() != null ? o.requestTimeout() : requestTimeout,
                o.backoffInitial() != null ? o.backoffInitial() : backoffInitial,
                o.backoffMax() != null ? o.backoffMax() : backoffMax,
                o.maxRetryAfter() != null ? o.maxRetryAfter() : maxRetryAfter,
                o.rateLimitCooldown() != null ? o.rateLimitCooldown() : rateLimitCooldown,
                o.breakerEnabled() != null ? o.breakerEnabled() : breakerEnabled,
                o.breakerWindow() != null ? o.breakerWindow() : breakerWindow,
                o.breakerFailureRatio() != null ? o.breakerFailureRatio() : breakerFailureRatio,
                o.breakerOpenFor() != null ? o.breakerOpenFor() : breakerOpenFor,
                o.breakerProbes() != null ? o.breakerProbes() : breakerProbes,
                timeouts.apply(o.timeouts()));
    }

    public RouteSettings withRetries(int r) {
        return new RouteSettings(strategy, r, maxAttempts, maxFallbacks, requestTimeout, backoffInitial, backoffMax,
                maxRetryAfter, rateLimitCooldown, breakerEnabled, breakerWindow, breakerFailureRatio,
                breakerOpenFor, breakerProbes, timeouts);
    }

    /** Settings that decide whether a deployment's circuit breaker can be kept across a reload. */
    String breakerFingerprint() {
        return breakerEnabled + "/" + breakerWindow + "/" + breakerFailureRatio + "/" + breakerOpenFor + "/" + breakerProbes;
    }
}
