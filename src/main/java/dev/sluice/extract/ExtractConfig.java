package dev.sluice.extract;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of {@code /v1/extract} and of every page fetch (retrieval for chat included). */
@ConfigMapping(prefix = "sluice.extract")
public interface ExtractConfig {

    /** Private networks the fetcher may reach (sidecar use), e.g. {@code 10.0.0.0/8,127.0.0.2/32}. */
    Optional<List<String>> allowedCidrs();

    /** Host names (or {@code *.suffix}) the fetcher may reach whatever they resolve to (cloud metadata excepted). */
    Optional<List<String>> allowedHosts();

    /** When set, the only domains (and their subdomains) that may be fetched. */
    Optional<List<String>> allowDomains();

    /** Domains (and their subdomains) never fetched. */
    Optional<List<String>> denyDomains();

    /** The User-Agent sent with every fetch. */
    @WithDefault("Mozilla/5.0 (compatible; Sluice/1.0; +https://github.com/sluice-gateway/sluice)")
    String userAgent();

    /** Opening a connection to a page's server. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** A whole fetch, redirects included, unless the request's {@code timeout_ms} says otherwise. */
    @WithDefault("15s")
    Duration timeout();

    /** The most a request's {@code timeout_ms} may ask for. */
    @WithDefault("60s")
    Duration maxTimeout();

    /** The largest page accepted, counted after decompression. */
    @WithDefault("5M")
    MemorySize maxBodySize();

    /** The largest response header block accepted. */
    @WithDefault("32K")
    MemorySize maxHeaderSize();

    /** Redirects followed, each checked like the first URL. */
    @WithDefault("5")
    int maxRedirects();

    /** URLs accepted in one {@code urls} batch (fetched concurrently). */
    @WithDefault("10")
    int maxUrls();

    /** How long an extracted page stays cached. */
    @WithDefault("15m")
    Duration cacheTtl();

    /** The memory cached pages may hold together (estimated from their text); the least used go first. */
    @WithDefault("64M")
    MemorySize cacheMaxBytes();

    /**
     * The {@code max_chars} a request gets when it names none: the most text one page returns (and caches), about
     * 50,000 tokens; a request may ask for more, up to the page's full text.
     */
    @WithDefault("200000")
    int defaultMaxChars();
}
