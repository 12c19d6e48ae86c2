package dev.sluice.provider;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A provider as configured, before it is built: every value that may still be missing and will be completed by
 * the protocol's conventions (a default base URL, credentials from the environment). Both the providers of
 * {@code sluice.providers.*} and the deployments of model groups are drafted this way and built by
 * {@link ProviderRegistry#provision}, so that a deployment gets exactly what a configured provider would.
 *
 * @param name         the provider name (a deployment's provider)
 * @param kind         the wire protocol
 * @param baseUrl      the configured base URL, if any
 * @param apiKey       the configured key, if any; never logged
 * @param keyless      whether it may run without any credentials (a local server)
 * @param addV1        whether {@code /v1} is added to a base URL without an API version (Ollama, vLLM)
 * @param headers      extra headers for every request
 * @param options      protocol-specific settings
 * @param models       models advertised in addition to the provider's own list
 * @param timeout      total time for a non-streaming call
 * @param connectTimeout    its own connect timeout, if it has one
 * @param streamIdleTimeout its own stream-idle timeout, if it has one
 * @param settingHint  how to name a missing setting in a message: {@link SettingHint#ENVIRONMENT} for a
 *                     configured provider, {@link SettingHint#DEPLOYMENT} for a routing deployment
 */
public record ProviderDraft(String name, String kind, Optional<String> baseUrl, Optional<String> apiKey,
                            boolean keyless, boolean addV1, Map<String, String> headers,
                            Map<String, String> options, List<String> models, Duration timeout,
                            Optional<Duration> connectTimeout, Optional<Duration> streamIdleTimeout,
                            SettingHint settingHint) {

    /** Where the operator sets what is missing. */
    public enum SettingHint {
        ENVIRONMENT, DEPLOYMENT
    }

    @Override
    public String toString() {
        return "ProviderDraft[name=" + name + ", kind=" + kind + "]";
    }
}
