package dev.sluice.extract;

import dev.sluice.fetch.FetchSettings;
import dev.sluice.fetch.PageFetcher;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Builds the one {@link PageFetcher} every outbound fetch on a client's behalf goes through (extracted pages,
 * {@code web_extract} pages, image URLs adapters must inline, the live catalog), so that they all share its
 * address checks and allow-lists. Its settings are the operator's {@code sluice.extract.*} properties.
 */
@ApplicationScoped
public class SafeFetcherProducer {

    @Produces
    @Singleton
    PageFetcher pageFetcher(Vertx vertx, ExtractConfig config) {
        FetchSettings settings = new FetchSettings(config.connectTimeout(), config.timeout(), config.maxTimeout(),
                config.maxBodySize().asLongValue(), (int) config.maxHeaderSize().asLongValue(), config.maxRedirects(),
                config.userAgent(), config.allowedCidrs().orElse(List.of()), config.allowedHosts().orElse(List.of()),
                config.allowDomains().orElse(List.of()), config.denyDomains().orElse(List.of()));
        return new PageFetcher(vertx, settings, PageFetcher.systemResolver(vertx, settings));
    }
}
