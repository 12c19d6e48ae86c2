package dev.sluice.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the gateway, under the {@code sluice.} prefix. Each property is documented once, here, and
 * listed with its default in docs/configuration.md. Environment variables follow MicroProfile Config's mapping, so
 * {@code sluice.providers.groq.api-key} is also {@code SLUICE_PROVIDERS_GROQ_API_KEY}.
 */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {

    /** Where Sluice keeps its state (generated master key, embedded store). */
    @WithDefault("./data")
    String dataDir();

    /** The master key; when absent one is generated at first start and stored in the data directory. */
    Optional<String> masterKey();

    /** Request bodies larger than this are refused with 413 (also applied as quarkus.http.limits.max-body-size). */
    @WithDefault("20M")
    MemorySize maxBodySize();

    /** Who may read {@code /q/metrics} and how many model labels its series may carry. */
    Metrics metrics();

    interface Metrics {
        /** A token for Prometheus to scrape {@code /q/metrics} with (the master key works too). */
        Optional<String> token();

        /** Distinct model label values, beyond which models count under {@code model="other"}. */
        @WithDefault("500")
        int maxModels();
    }

    /** Images a chat request refers to by URL that Sluice fetches for providers wanting bytes (Gemini, Bedrock). */
    Images images();

    interface Images {
        /** Image URLs fetched per request; more is a 400. */
        @WithDefault("20")
        int maxUrls();

        /** Bytes one request's fetched images may hold together; more is a 400. */
        @WithDefault("20M")
        MemorySize maxTotalBytes();

        /** Images of one request fetched at once. */
        @WithDefault("4")
        int concurrency();
    }

    /** Limits on request bodies being uploaded (see the JSON ingress of the HTTP edge). */
    Uploads uploads();

    interface Uploads {
        /** A body declared longer than this (or chunked) counts as a large upload. */
        @WithDefault("1M")
        MemorySize largeBody();

        /** Large uploads read at once, across all callers; one more is refused with 503 and Retry-After. */
        @WithDefault("32")
        int maxConcurrentLarge();
    }

    /**
     * Upstream providers by name. Built-in presets (openai, groq, ...) are declared in the bundled
     * application.properties; any other name declares a custom provider.
     */
    Map<String, ProviderConfig> providers();

    /** Public model names mapped to {@code provider/model}. */
    Map<String, String> aliases();

    /**
     * Rules that send a bare model name to a provider, tried in order: {@code glob=provider}, where the glob
     * may end with {@code *}.
     */
    @WithDefault("gpt-*=openai,o1*=openai,o3*=openai,o4*=openai,chatgpt-*=openai,text-embedding-*=openai,"
            + "claude-*=anthropic,gemini-*=gemini,deepseek-*=deepseek,grok-*=xai,"
            + "mistral-*=mistral,ministral-*=mistral,codestral-*=mistral,open-mistral-*=mistral,"
            + "magistral-*=mistral,pixtral-*=mistral")
    List<String> modelRules();

    /** Upstream HTTP behaviour shared by every provider unless a provider overrides it. */
    Upstream upstream();

    /** The model catalogue behind {@code GET /v1/models}. */
    Models models();

    interface ProviderConfig {
        /** Wire protocol: {@code openai} (default), or a native adapter such as {@code anthropic}. */
        @WithDefault("openai")
        String kind();

        /** Set false to switch a configured provider off. */
        @WithDefault("true")
        boolean enabled();

        /** API base, e.g. {@code https://api.openai.com/v1} for OpenAI-compatible providers. */
        Optional<String> baseUrl();

        /** The provider's API key. */
        Optional<String> apiKey();

        /**
         * Whether the provider works without a key (local servers such as Ollama or vLLM): then it is enabled
         * as soon as its base URL is set.
         */
        @WithDefault("false")
        boolean keyless();

        /** Extra headers sent with every upstream request (e.g. OpenRouter's HTTP-Referer). */
        Map<String, String> headers();

        /** Models to advertise when the provider has no usable list endpoint; merged with the listed ones. */
        Optional<List<String>> models();

        /** Overrides {@code sluice.upstream.timeout} for this provider. */
        Optional<Duration> timeout();

        /** Native-adapter settings that do not apply to every provider (api versions, regions...). */
        Map<String, String> options();
    }

    interface Upstream {
        /** Time allowed to open a TCP/TLS connection to a provider. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Time allowed for a whole non-streaming call, and for a stream to send its response headers. */
        @WithDefault("600s")
        Duration timeout();

        /** A stream that sends nothing for this long is aborted. */
        @WithDefault("120s")
        Duration streamIdleTimeout();

        /** Pooled keep-alive connections per upstream host (HTTP/1.1) and event loop. */
        @WithDefault("256")
        int maxConnectionsPerHost();

        /** How long an idle pooled connection is kept. */
        @WithDefault("60s")
        Duration keepAlive();
    }

    interface Models {
        /** How long a provider's own model list is cached. */
        @WithDefault("10m")
        Duration cacheTtl();

        /** A provider whose list does not arrive within this time is left out of the answer. */
        @WithName("list-timeout")
        @WithDefault("3s")
        Duration listTimeout();
    }
}
