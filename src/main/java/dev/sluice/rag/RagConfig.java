package dev.sluice.rag;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of retrieval for chat ({@code web_extract} in chat completions). */
@ConfigMapping(prefix = "sluice.rag")
public interface RagConfig {

    /**
     * One deadline, fixed when a request arrives, for fetching and extracting every page it names; a page not
     * ready by then is reported as a {@code fetch_timeout} source error.
     */
    @WithDefault("10s")
    Duration timeout();

    /** {@code max_urls} when the request does not say. */
    @WithDefault("5")
    int defaultMaxUrls();

    /** The most {@code max_urls} may ask for. */
    @WithDefault("10")
    int maxUrls();

    /** {@code max_tokens} (the budget for injected text) when the request does not say. */
    @WithDefault("3000")
    int defaultMaxTokens();

    /** The most {@code max_tokens} may ask for. */
    @WithDefault("32000")
    int maxTokens();

    /** Target size of a chunk, in tokens. */
    @WithDefault("300")
    int chunkTokens();

    /** Text carried from one chunk into the next, at most this many tokens. */
    @WithDefault("50")
    int chunkOverlapTokens();
}
