package dev.sluice.catalog;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Where the model catalog is refreshed from, on top of the catalog built into Sluice. */
@ConfigMapping(prefix = "sluice.catalog")
public interface CatalogConfig {

    /**
     * A catalog file (a path) or an {@code https://} URL, in Sluice's catalog format or LiteLLM's
     * {@code model_prices_and_context_window.json} format. Its models are laid over the bundled catalog.
     */
    Optional<String> source();

    /** How often a catalog file is checked for changes (0: never after start-up). */
    @WithDefault("5s")
    Duration watchInterval();

    /** How often a catalog URL is fetched again (0: only at start-up). */
    @WithDefault("6h")
    Duration refreshInterval();

    /** The deadline of one fetch of a catalog URL. */
    @WithDefault("30s")
    Duration fetchTimeout();

    /** The largest catalog accepted (LiteLLM's file is about 1.5 MB). */
    @WithDefault("32M")
    MemorySize maxSize();

    /**
     * Accept an {@code http://} catalog URL (a mirror inside your network). The URL still goes through the
     * fetcher's address checks ({@code sluice.extract.allowed-cidrs}, {@code allowed-hosts}).
     */
    @WithDefault("false")
    boolean allowHttp();
}
