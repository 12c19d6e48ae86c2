package dev.sluice.provider;

/**
 * Creates {@link Provider}s of one wire protocol from their settings. One CDI bean per protocol; the registry
 * picks the factory whose {@link #kind()} matches a provider's configured kind.
 */
public abstract class ProviderFactory {

    private final String kind;

    /** @param kind the protocol name used in {@code sluice.providers.<name>.kind} */
    protected ProviderFactory(String kind) {
        this.kind = kind;
    }

    /** The protocol name used in {@code sluice.providers.<name>.kind}. */
    public String kind() {
        return kind;
    }

    /** A provider of this protocol, built from its settings and the parts every provider shares. */
    public abstract Provider create(ProviderSettings settings, ProviderParts parts);

    /** The environment variable conventionally holding a provider's key, named when it is missing. */
    public String apiKeyVariable(String provider) {
        return provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY";
    }

    /** The environment variable conventionally holding a provider's base URL, named when it is missing. */
    public String baseUrlVariable(String provider) {
        return provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BASE_URL";
    }

    /**
     * The base URL a provider of this protocol uses when none is configured, derived from its other settings
     * (e.g. Bedrock's regional endpoint from its region); empty when it cannot be derived.
     */
    public java.util.Optional<String> defaultBaseUrl(String provider, ProviderOptions options) {
        return java.util.Optional.empty();
    }

    /**
     * Whether a provider without an API key holds other credentials of its protocol (e.g. AWS access keys that
     * sign its requests), so that it is enabled without a key.
     */
    public boolean hasOtherCredentials(String provider, ProviderOptions options) {
        return false;
    }

    /**
     * Whether a keyless provider's base URL without an API version gets {@code /v1} added (local OpenAI-compatible
     * servers such as Ollama and vLLM are configured by host and port).
     */
    public boolean versionsKeylessBaseUrl() {
        return false;
    }

    /** Why a provider is not enabled when it has no credentials, naming what to set. */
    public String missingCredentials(String provider) {
        return "it has no API key (set " + apiKeyVariable(provider) + " or SLUICE_PROVIDERS_"
                + provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY)";
    }
}
