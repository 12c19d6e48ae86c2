package dev.sluice.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * What every provider is built from besides its own settings: the shared upstream client, the JSON mapper, the
 * gateway-wide stream idle timeout and the guarded image fetcher. One bean, so that each {@link ProviderFactory}
 * injects one thing and the factories differ only in what their protocol needs.
 */
@ApplicationScoped
public class ProviderParts {

    @Inject
    UpstreamHttp http;
    @Inject
    ObjectMapper mapper;
    @Inject
    SluiceConfig config;
    @Inject
    RemoteImages images;

    public UpstreamHttp http() {
        return http;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** {@code sluice.upstream.stream-idle-timeout}: the longest silence in a stream, unless a provider sets its own. */
    public Duration streamIdleTimeout() {
        return config.upstream().streamIdleTimeout();
    }

    /** The image fetcher of one provider: images up to {@code maxBytes}, each fetched within {@code timeout}. */
    public RemoteImages.Fetcher images(String provider, long maxBytes, Duration timeout) {
        return images.fetcher(provider, maxBytes, timeout);
    }
}
