package dev.sluice.provider;

/**
 * Creates {@link Provider}s of one wire protocol from their settings. One CDI bean per protocol; the registry
 * picks the factory whose {@link #kind()} matches a provider's configured kind.
 */
public interface ProviderFactory {

    /** The protocol name used in {@code sluice.providers.<name>.kind}. */
    String kind();

    Provider create(ProviderSettings settings);

    /** The environment variable conventionally holding a provider's key, named when it is missing. */
    default String apiKeyVariable(String provider) {
        return provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY";
    }

    /** The environment variable conventionally holding a provider's base URL, named when it is missing. */
    default String baseUrlVariable(String provider) {
        return provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BASE_URL";
    }

    /**
     * The base URL a provider of this protocol uses when none is configured, derived from its other settings
     * (e.g. Bedrock's regional endpoint from its region); empty when it cannot be derived.
     */
    default java.util.Optional<String> defaultBaseUrl(String provider, ProviderOptions options) {
        return java.util.Optional.empty();
    }

    /**
     * Whether a provider without an API key holds other credentials of its protocol (e.g. AWS access keys that
     * sign its requests), so that it is enabled without a key.
     */
    default boolean hasOtherCredentials(String provider, ProviderOptions options) {
        return false;
    }

    /**
     * Whether a keyless provider's base URL without an API version gets {@code /v1} added (local OpenAI-compatible
     * servers such as Ollama and vLLM are configured by host and port).
     */
    default boolean versionsKeylessBaseUrl() {
        return false;
    }

    /** Why a provider is not enabled when it has no credentials, naming what to set. */
    default String missingCredentials(String provider) {
        return "it has no API key (set " + apiKeyVariable(provider) + " or SLUICE_PROVIDERS_"
                + provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY)";
    }
}
