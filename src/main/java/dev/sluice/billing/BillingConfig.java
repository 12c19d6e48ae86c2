package dev.sluice.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Prices and reservations. Prices are USD per million tokens, as providers publish them. */
@ConfigMapping(prefix = "sluice.billing")
public interface BillingConfig {

    enum Unpriced {
        /** Virtual keys get 403 {@code model_not_priced} for a model without a price. */
        REFUSE,
        /** A model without a price is charged {@code sluice.billing.default-price}. */
        DEFAULT
    }

    /** What happens to a request for a model that has no price: {@code refuse} or {@code default}. */
    @WithDefault("refuse")
    Unpriced unpriced();

    /** The price used for models without one when {@code sluice.billing.unpriced=default}. */
    Optional<PriceConfig> defaultPrice();

    /**
     * Prices by {@code provider/model} (a glob such as {@code ollama/*} works), overriding the shipped table:
     * {@code sluice.billing.prices."openai/gpt-4o".input=2.50}.
     */
    Map<String, PriceConfig> prices();

    /** Prices by deployment id (a model group's deployment, or a provider name), overriding everything else. */
    Map<String, PriceConfig> deployments();

    /** How the worst-case cost reserved before a request is computed. */
    Reserve reserve();

    /** USD charged per web page extracted for a request (0: extraction runs on your own machine). */
    @WithDefault("0")
    BigDecimal webExtractPageUsd();

    interface PriceConfig {
        /** USD per million input (prompt) tokens. */
        BigDecimal input();

        /** USD per million output (completion) tokens. */
        BigDecimal output();

        /** USD per million cached input tokens (default: the input price). */
        Optional<BigDecimal> cachedInput();

        /** USD per million tokens written to a prompt cache (default: the input price). */
        Optional<BigDecimal> cacheWrite();

        /**
         * The largest output the model accepts: the most Sluice asks for on its own when it caps a prepaid key's
         * request (default: {@code sluice.billing.reserve.max-output-tokens}).
         */
        OptionalInt maxOutputTokens();
    }

    interface Reserve {
        /**
         * Output tokens a request without max_tokens / max_completion_tokens is expected to produce, counted
         * against its key's tpm limit up front (and corrected to the real usage when it ends).
         */
        @WithDefault("4096")
        int defaultOutputTokens();

        /**
         * The most output tokens per choice a prepaid key's request may produce: a larger max_tokens is lowered to
         * it, and a request without one gets at most this (less when the balance or the model allow less).
         */
        @WithDefault("32768")
        int maxOutputTokens();

        /**
         * The least output per choice worth sending a request without max_tokens upstream for: when a prepaid
         * key's available balance cannot cover its prompt plus this many output tokens, it is refused with 429
         * insufficient_quota.
         */
        @WithDefault("256")
        int minOutputTokens();

        /** Prompt tokens counted per image in the reservation's estimate. */
        @WithDefault("1500")
        int imageTokens();

        /**
         * Prompt tokens reserved for each part whose size Sluice cannot know before the provider reads it, by kind
         * (a remote video, audio or document the provider fetches itself, a part type Sluice does not know); 0
         * refuses such parts for prepaid keys with 400 {@code content_not_bounded} naming the part.
         */
        RemoteContent remoteContentTokens();
    }

    /**
     * Ceilings for content Sluice cannot measure. The defaults are the largest context window of the models in the
     * model catalog (Gemini's 1,048,576 tokens): no provider counts more prompt than its model accepts.
     */
    interface RemoteContent {
        @WithDefault("1048576")
        long video();

        @WithDefault("1048576")
        long audio();

        @WithDefault("1048576")
        long document();

        /** Part types Sluice does not know. */
        @WithDefault("1048576")
        long other();
    }
}
