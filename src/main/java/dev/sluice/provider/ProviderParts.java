package dev.sluice.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.catalog.Catalog;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every provider is built from besides its own settings, handed by {@link ProviderRegistry} to each
 * {@link ProviderFactory}, so that the factories differ only in what their protocol needs.
 *
 * @param http              the shared upstream client
 * @param mapper            the JSON mapper
 * @param streamIdleTimeout {@code sluice.upstream.stream-idle-timeout}: the longest silence in a stream, unless a
 *                          provider sets its own
 * @param images            the guarded image fetcher
 * @param catalog           the model catalog in force (models' output limits), read per request, so that a catalog
 *                          refresh applies without a restart
 */
public record ProviderParts(UpstreamHttp http, ObjectMapper mapper, Duration streamIdleTimeout, RemoteImages images,
                            Supplier<Catalog> catalog) {

    /** The image fetcher of one provider: images up to {@code maxBytes}, each fetched within {@code timeout}. */
    public RemoteImages.Fetcher images(String provider, long maxBytes, Duration timeout) {
        return images.fetcher(provider, maxBytes, timeout);
    }
}
