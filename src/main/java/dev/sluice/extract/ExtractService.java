package dev.sluice.extract;

import dev.sluice.openai.ApiException;
import dev.sluice.fetch.FetchException;
import dev.sluice.fetch.FetchSettings;
import dev.sluice.fetch.FetchedPage;
import dev.sluice.fetch.PageFetcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Fetch (safely) + extract (on a worker thread) + cache: the one pipeline behind {@code /v1/extract} and behind
 * retrieval for chat, so both share the address guard, the limits and the cache.
 *
 * <p>Results are cached by URL and options for {@code sluice.extract.cache-ttl} (15 minutes) in a cache bounded
 * by the bytes its entries hold ({@code sluice.extract.cache-max-bytes}, a weigher counting each entry's strings),
 * not by their number: a thousand 5 MB pages and a thousand one-line pages are not the same memory. Caffeine is
 * used directly because the Quarkus cache configuration offers no weigher. {@code no_cache} bypasses the cache
 * and refreshes it. Failures are not cached.
 */
@ApplicationScoped
public class ExtractService {

    /** A page extracted from a URL (or from HTML the caller gave). */
    public record Result(String url, String finalUrl, Integer status, ExtractedPage page, boolean cached) {
        Result asCached() {
            return new Result(url, finalUrl, status, page, true);
        }
    }

    private final PageFetcher fetcher;
    private final ContentExtractor extractor;
    private final com.github.benmanes.caffeine.cache.Cache<String, Result> cache;
    private final Counter hits;
    private final Counter misses;
    private final Counter bypasses;
    private final MeterRegistry registry;
    private final FetchSettings settings;

    @Inject
    public ExtractService(PageFetcher fetcher, ExtractConfig config, MeterRegistry registry,
                          ContentExtractor extractor) {
        this.extractor = extractor;
        this.fetcher = fetcher;
        this.settings = fetcher.settings();
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.cacheTtl())
                .maximumWeight(config.cacheMaxBytes().asLongValue())
                .weigher((String key, Result r) -> weight(key, r)).build();
        this.registry = registry;
        this.hits = Counter.builder("sluice_extract_cache").tag("result", "hit")
                .description("Extract cache lookups").register(registry);
        this.misses = Counter.builder("sluice_extract_cache").tag("result", "miss")
                .description("Extract cache lookups").register(registry);
        this.bypasses = Counter.builder("sluice_extract_cache").tag("result", "bypass")
                .description("Extract cache lookups").register(registry);
    }

    /**
     * Fetches and extracts a URL, from the cache when possible. {@code timeout} (the request's {@code timeout_ms},
     * or the default when null, capped at {@code max-timeout}) bounds the fetch and the extraction together.
     */
    public Uni<Result> extract(String url, ExtractOptions options, Duration timeout, boolean noCache) {
        String key = key(url, options);
        if (!noCache) {
            Result present = cache.getIfPresent(key);
            if (present != null) {
                hits.increment();
                return Uni.createFrom().item(present.asCached());
            }
            misses.increment();
        } else {
            bypasses.increment();
        }
        return fetchAndExtract(url, options, timeout)
                .invoke(result -> cache.put(key, result));
    }

    /** Extracts from HTML the caller already has, within {@code timeout} (as for a URL); nothing is cached. */
    public Uni<Result> extractHtml(String html, String url, ExtractOptions options, Duration timeout) {
        Duration limit = settings.limit(timeout);
        return onWorker(Deadline.at(System.nanoTime() + limit.toNanos()), limit,
                () -> new Result(url, url, null, extractor.extract(html, url, options), false));
    }

    private Uni<Result> fetchAndExtract(String url, ExtractOptions options, Duration timeout) {
        Duration limit = settings.limit(timeout);
        long deadlineNanos = System.nanoTime() + limit.toNanos();
        return fetcher.fetch(url, limit)
                .onItemOrFailure().invoke((page, failure) -> registry.counter("sluice_extract_fetches", "outcome",
                        failure == null ? "ok" : failure instanceof ApiException a ? a.code() : "error").increment())
                .chain(page -> onWorker(Deadline.at(deadlineNanos), limit, () -> new Result(url, page.finalUrl(),
                        page.status(), extract(page, options, deadlineNanos, limit.toMillis()), false)));
    }

    private ExtractedPage extract(FetchedPage page, ExtractOptions options, long deadline, long limitMillis) {
        if (PageFetcher.PDF.equals(page.contentType())) {
            // the same deadline as the fetch: a huge PDF cannot hold a worker thread longer than the page may take
            return extractor.extractPdf(page.body(), page.finalUrl(), options, deadline, limitMillis);
        }
        if ("text/plain".equals(page.contentType())) {
            String text = page.declaredCharset() != null ? new String(page.body(), page.declaredCharset())
                    : new String(page.body(), StandardCharsets.UTF_8);
            return extractor.extract(plainTextAsHtml(text), page.finalUrl(), options);
        }
        String contentType = page.contentType() + (page.declaredCharset() == null ? ""
                : "; charset=" + page.declaredCharset().name());
        return extractor.extract(page.body(), contentType, page.finalUrl(), options);
    }

    /** Plain text as HTML paragraphs (split at blank lines), so that every format renders it naturally. */
    static String plainTextAsHtml(String text) {
        StringBuilder html = new StringBuilder("<html><body>");
        for (String paragraph : text.split("\\r?\\n\\s*\\r?\\n")) {
            if (!paragraph.isBlank()) {
                html.append("<p>").append(org.jsoup.nodes.Entities.escape(paragraph.strip())).append("</p>");
            }
        }
        return html.append("</body></html>").toString();
    }

    /**
     * Runs CPU-bound extraction on a worker thread, never on the event loop, under {@code deadline}: the request
     * is answered 504 when it passes, and the worker, checking the same deadline as it goes, stops and is free
     * again instead of finishing work nobody waits for. Bad selectors become 400s.
     */
    private static <T> Uni<T> onWorker(Deadline deadline, Duration limit, java.util.function.Supplier<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return Deadline.enforce(deadline, work);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidRequest(e.getMessage(), "selector", SelectorRule.INVALID_SELECTOR);
            } catch (Deadline.Exceeded e) {
                throw FetchException.deadline(limit.toMillis());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                // Vert.x timers count whole milliseconds, at least one
                .ifNoItem().after(Duration.ofMillis(Math.max(1, (deadline.remainingNanos() + 999_999) / 1_000_000)))
                .failWith(() -> FetchException.deadline(limit.toMillis()));
    }

    /** About the bytes an entry holds: two per character of its strings (Java's UTF-16 worst case), at least 1. */
    static int weight(String key, Result r) {
        long chars = key.length() + length(r.url()) + length(r.finalUrl());
        ExtractedPage p = r.page();
        chars += length(p.title()) + length(p.byline()) + length(p.siteName()) + length(p.publishedTime())
                + length(p.lang()) + length(p.excerpt()) + length(p.canonicalUrl()) + length(p.content());
        for (PageLink link : p.links()) {
            chars += length(link.text()) + length(link.url()) + 16;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, chars * 2 + 256));
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String key(String url, ExtractOptions o) {
        return url + '\u0000' + o.format() + '\u0000' + o.includeLinks() + '\u0000' + o.includeImages() + '\u0000'
                + o.maxChars() + '\u0000' + o.selector() + '\u0000' + String.join("\u0001", o.excludeSelectors());
    }
}
