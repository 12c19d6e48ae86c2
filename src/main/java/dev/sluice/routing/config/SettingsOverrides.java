package dev.sluice.routing.config;

import dev.sluice.routing.config.Strategy;

import java.time.Duration;

/**
 * Routing settings set at one level of the configuration: a routing file's {@code settings:} block or one group.
 * A null keeps the value of the level above (ultimately {@code sluice.routing.*}).
 */
public record SettingsOverrides(Strategy strategy, Integer retries, Integer maxAttempts, Integer maxFallbacks,
                                Duration requestTimeout, Duration backoffInitial, Duration backoffMax,
                                Duration maxRetryAfter, Duration rateLimitCooldown, Boolean breakerEnabled,
                                Integer breakerWindow, Double breakerFailureRatio, Duration breakerOpenFor,
                                Integer breakerProbes, TimeoutOverrides timeouts) {

    public static final SettingsOverrides NONE = new SettingsOverrides(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, TimeoutOverrides.NONE);

    /** These values where set, the other's elsewhere. */
    public SettingsOverrides over(SettingsOverrides base) {
        return new SettingsOverrides(
                pick(strategy, base.strategy), pick(retries, base.retries), pick(maxAttempts, base.maxAttempts),
                pick(maxFallbacks, base.maxFallbacks), pick(requestTimeout, base.requestTimeout),
                pick(backoffInitial, base.backoffInitial), pick(backoffMax, base.backoffMax),
                pick(maxRetryAfter, base.maxRetryAfter), pick(rateLimitCooldown, base.rateLimitCooldown),
                pick(breakerEnabled, base.breakerEnabled), pick(breakerWindow, base.breakerWindow),
                pick(breakerFailureRatio, base.breakerFailureRatio), pick(breakerOpenFor, base.breakerOpenFor),
                pick(breakerProbes, base.breakerProbes), timeouts.over(base.timeouts));
    }

    private static <T> T pick(T mine, T theirs) {
        return mine != null ? mine : theirs;
    }
}
