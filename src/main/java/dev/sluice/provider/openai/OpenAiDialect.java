package dev.sluice.provider.openai;

import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ProviderSettings;

import java.util.Map;

/**
 * What differs between services that speak OpenAI's protocol: where each operation lives, how the key is sent,
 * which model name goes in the body, and which streamed chunks are the service's own housekeeping rather than
 * part of the answer. {@link OpenAiProvider} does everything else (forwarding the client's body untouched,
 * streaming, error mapping) for every dialect.
 *
 * <p>OpenAI itself and the compatible services use {@link #standard}; Azure OpenAI has its own dialect.
 */
public interface OpenAiDialect {

    /** The chat-completions URL for a model (the upstream's model name). */
    String chatCompletionsUrl(String model);

    /** The embeddings URL for a model. */
    String embeddingsUrl(String model);

    /** The model-list URL. */
    String modelsUrl();

    /** The Responses API URL for a model, or null when the service has none Sluice should pass requests to. */
    default String responsesUrl(String model) {
        return null;
    }

    /** The provider option that says an OpenAI-compatible service has the Responses API. */
    String RESPONSES_API_OPTION = "responses-api";

    /** Adds the credentials to a request's headers. */
    void authenticate(Map<String, String> headers);

    /** The {@code model} value sent in the request body. */
    default String bodyModel(String model) {
        return model;
    }

    /** Whether a streamed chunk is part of the answer and reaches the client. */
    default boolean relay(ChatChunk chunk) {
        return true;
    }

    /** OpenAI's own layout: {@code {base}/chat/completions}, {@code {base}/embeddings}, bearer key. */
    static OpenAiDialect standard(ProviderSettings settings) {
        return new OpenAiDialect() {
            @Override
            public String chatCompletionsUrl(String model) {
                return settings.baseUrl() + "/chat/completions";
            }

            @Override
            public String embeddingsUrl(String model) {
                return settings.baseUrl() + "/embeddings";
            }

            @Override
            public String modelsUrl() {
                return settings.baseUrl() + "/models";
            }

            @Override
            public String responsesUrl(String model) {
                // only where the operator said the service has OpenAI's Responses API (the openai preset does)
                return Boolean.parseBoolean(settings.options().getOrDefault(RESPONSES_API_OPTION, "false"))
                        ? settings.baseUrl() + "/responses" : null;
            }

            @Override
            public void authenticate(Map<String, String> headers) {
                settings.apiKey().ifPresent(key -> headers.put("authorization", "Bearer " + key));
            }
        };
    }
}
