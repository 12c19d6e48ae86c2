package dev.sluice.provider;

import java.util.Set;

/**
 * What the rest of Sluice may know of a provider without calling it, fixed when the provider is built: who it is,
 * whose tokenizer counts its models, which client protocols it takes as they are, and what else it can be asked.
 * Billing, token counting, routing and the catalog ask this instead of comparing kinds as strings.
 *
 * @param name      the configured name, e.g. {@code openai}, {@code groq}, {@code my-vllm}
 * @param kind      the wire protocol, e.g. {@code openai}, {@code anthropic}
 * @param tokenizer whose tokenizer counts the provider's models, for Sluice's own token counts before the upstream
 *                  answers ({@link Tokenizer#BY_MODEL_NAME} for a provider serving several vendors' models)
 * @param speaks    the client protocols whose requests can be sent to it as they are ({@link Passthrough}); the
 *                  router then hands the client's body to {@link Provider#chat} in {@link ChatCall#passthrough()} (a
 *                  provider whose models do not all take them narrows this per model: {@link Provider#speaks})
 * @param features  what else it can be asked
 */
public record ProviderProfile(String name, String kind, Tokenizer tokenizer, Set<WireProtocol> speaks,
                              Set<Feature> features) {

    public ProviderProfile {
        speaks = Set.copyOf(speaks);
        features = Set.copyOf(features);
    }

    /** What a provider can do beyond chat that callers above it decide on. */
    public enum Feature {
        /**
         * It speaks a vendor's own protocol (Anthropic, Gemini, Azure OpenAI, Bedrock), under whose kind the model
         * catalog lists the vendor's models (and prices) whatever the provider is named: a second Azure resource or
         * another Bedrock region finds them too.
         */
        VENDOR_PROTOCOL,
        /** It has a web-search tool of its own that a client's {@code web_search} tool can be translated to. */
        WEB_SEARCH,
        /**
         * It reads OpenAI's {@code max_completion_tokens} (OpenAI's own API, Azure OpenAI) rather than only
         * {@code max_tokens}: where Sluice writes the output cap of a prepaid request.
         */
        MAX_COMPLETION_TOKENS
    }

    /** Whether the provider can do {@code feature}. */
    public boolean has(Feature feature) {
        return features.contains(feature);
    }
}
