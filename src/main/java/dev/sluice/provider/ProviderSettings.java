package dev.sluice.provider;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved settings of one enabled provider: configuration merged with its preset's conventions.
 *
 * @param name    configured name
 * @param kind    wire protocol
 * @param baseUrl API base without a trailing slash
 * @param apiKey  the key, if the provider needs one; never logged
 * @param headers extra headers for every request
 * @param models  models advertised in addition to the provider's own list
 * @param timeout total time for a non-streaming call
 * @param options protocol-specific settings
 * @param connectTimeout    time allowed to open a connection, when it differs from
 *                          {@code sluice.upstream.connect-timeout} (a routing deployment's own setting)
 * @param streamIdleTimeout longest silence in a stream (and before its headers), when it differs from
 *                          {@code sluice.upstream.stream-idle-timeout}
 */
public record ProviderSettings(String name, String kind, String baseUrl, Optional<String> apiKey,
                               Map<String, String> headers, List<String> models, Duration timeout,
                               Map<String, String> options, Optional<Duration> connectTimeout,
                               Optional<Duration> streamIdleTimeout) {

    /** Settings that use the gateway-wide connect and stream-idle timeouts. */
    public ProviderSettings(String name, String kind, String baseUrl, Optional<String> apiKey,
                            Map<String, String> headers, List<String> models, Duration timeout,
                            Map<String, String> options) {
        this(name, kind, baseUrl, apiKey, headers, models, timeout, options, Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        // the key stays out of every string form of the settings
        return "ProviderSettings[name=" + name + ", kind=" + kind + ", baseUrl=" + baseUrl + "]";
    }
}
