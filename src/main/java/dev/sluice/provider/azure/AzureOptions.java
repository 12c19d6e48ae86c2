package dev.sluice.provider.azure;

import dev.sluice.provider.ProviderOptions;
import dev.sluice.provider.ProviderSettings;

import java.util.Map;
import java.util.Optional;

/**
 * The Azure OpenAI adapter's settings, read once from {@code sluice.providers.<name>.options.*}:
 *
 * <ul>
 *   <li>{@code endpoint-style}: {@code deployment} ({@code {endpoint}/openai/deployments/{deployment}/...?api-version=})
 *       or {@code v1} ({@code {endpoint}/openai/v1/...}, the deployment named in the body's {@code model}).
 *       Default: {@code v1} when the base URL ends with {@code /openai/v1}, else {@code deployment};</li>
 *   <li>{@code api-version}: the {@code api-version} query parameter of the deployment form (default
 *       {@value #DEFAULT_API_VERSION}, the latest GA of the dated API). The v1 form takes no dated version: it
 *       sends the setting only when it is not a date, e.g. {@code preview};</li>
 *   <li>{@code deployments}: model name → deployment name, as {@code deployments.gpt-4o=my-gpt4o} or as the list
 *       {@code deployments=gpt-4o=my-gpt4o,gpt-4.1-mini=mini}. A model without an entry is sent to the deployment
 *       of the same name.</li>
 * </ul>
 *
 * @param endpoint    the resource endpoint, e.g. {@code https://my-resource.openai.azure.com}, without
 *                    {@code /openai}
 * @param v1          whether the v1 form is used
 * @param apiVersion  the configured api-version, if any
 * @param deployments model name → deployment name
 */
record AzureOptions(String endpoint, boolean v1, Optional<String> apiVersion, Map<String, String> deployments) {

    static final String DEFAULT_API_VERSION = "2024-10-21";
    private static final String OPENAI_V1 = "/openai/v1";
    private static final String OPENAI = "/openai";

    static AzureOptions from(ProviderSettings settings) {
        ProviderOptions options = new ProviderOptions(settings);
        String base = settings.baseUrl();
        boolean givenV1 = base.endsWith(OPENAI_V1);
        String endpoint = givenV1 ? base.substring(0, base.length() - OPENAI_V1.length())
                : base.endsWith(OPENAI) ? base.substring(0, base.length() - OPENAI.length()) : base;
        String style = options.choice("endpoint-style", givenV1 ? "v1" : "deployment", "deployment", "v1");
        return new AzureOptions(endpoint, "v1".equals(style), options.string("api-version"),
                Map.copyOf(options.keyed("deployments")));
    }

    /** The deployment that serves a model name. */
    String deployment(String model) {
        return deployments.getOrDefault(model, model);
    }

    /** The api-version the v1 form sends: only a named channel such as {@code preview}, never a dated version. */
    Optional<String> v1ApiVersion() {
        return apiVersion.filter(v -> !v.matches("\\d{4}-\\d{2}-\\d{2}.*"));
    }

    /** The api-version the deployment form sends. */
    String deploymentApiVersion() {
        return apiVersion.orElse(DEFAULT_API_VERSION);
    }
}
