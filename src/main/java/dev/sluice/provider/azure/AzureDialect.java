package dev.sluice.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ModelPath;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.openai.OpenAiDialect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Azure OpenAI's dialect of OpenAI's protocol: the key goes in the {@code api-key} header; operations live
 * under a deployment ({@code /openai/deployments/{deployment}/chat/completions?api-version=...}) or, in the v1
 * form, under {@code /openai/v1/} with the deployment as the body's {@code model}. Bodies and answers are
 * otherwise OpenAI's, so everything else is the OpenAI adapter's.
 *
 * <p>One Azure habit is filtered out of streams: when content filtering is on, Azure first sends a chunk with
 * no id, no choices and only {@code prompt_filter_results}. It is not part of the answer, and clients that
 * take the stream's id from its first chunk would get an empty one, so it is not relayed. Filter annotations on
 * the answer's own chunks ({@code content_filter_results}) are kept.
 */
final class AzureDialect implements OpenAiDialect {

    static final String API_KEY_HEADER = "api-key";

    private final ProviderSettings settings;
    private final AzureOptions options;

    AzureDialect(ProviderSettings settings, AzureOptions options) {
        this.settings = settings;
        this.options = options;
    }

    @Override
    public String chatCompletionsUrl(String model) {
        return url(model, "/chat/completions");
    }

    @Override
    public String embeddingsUrl(String model) {
        return url(model, "/embeddings");
    }

    /**
     * Azure's Responses API: {@code /openai/v1/responses} on the v1 API, else {@code /openai/responses} with the
     * preview version that introduced it; the deployment is named in the body's {@code model}.
     */
    @Override
    public String responsesUrl(String model) {
        return options.v1() ? options.endpoint() + "/openai/v1/responses" + v1Query()
                : options.endpoint() + "/openai/responses?api-version=2025-04-01-preview";
    }

    @Override
    public String modelsUrl() {
        return options.v1() ? options.endpoint() + "/openai/v1/models" + v1Query()
                : options.endpoint() + "/openai/models?api-version=" + encode(options.deploymentApiVersion());
    }

    @Override
    public void authenticate(Map<String, String> headers) {
        settings.apiKey().ifPresent(key -> headers.put(API_KEY_HEADER, key));
    }

    @Override
    public String bodyModel(String model) {
        return options.deployment(model);
    }

    @Override
    public boolean relay(ChatChunk chunk) {
        if (!chunk.rawContains("prompt_filter_results")) {
            return true;
        }
        ObjectNode json = chunk.json();
        JsonNode choices = json.path("choices");
        JsonNode usage = json.get("usage");
        boolean noChoices = !choices.isArray() || choices.isEmpty();
        return !noChoices || usage != null && !usage.isNull();
    }

    private String url(String model, String operation) {
        if (options.v1()) {
            return options.endpoint() + "/openai/v1" + operation + v1Query();
        }
        String deployment = options.deployment(model);
        // a deployment the operator mapped is theirs to name; a client's model name used as-is is checked
        String segment = deployment.equals(model) ? ModelPath.segment(model) : ModelPath.encode(deployment);
        return options.endpoint() + "/openai/deployments/" + segment + operation
                + "?api-version=" + encode(options.deploymentApiVersion());
    }

    private String v1Query() {
        return options.v1ApiVersion().map(v -> "?api-version=" + encode(v)).orElse("");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
