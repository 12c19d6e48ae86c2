package dev.sluice.provider.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.ChatCall;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.Provider;
import dev.sluice.provider.Tokenizer;
import dev.sluice.provider.ProviderModel;
import dev.sluice.provider.openai.OpenAiProvider;
import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * An Azure OpenAI resource. Chat, streaming and embeddings are the OpenAI adapter's, spoken in Azure's dialect
 * ({@link AzureDialect}). The model list is the configured deployments: Azure's data-plane API lists the models
 * a resource could deploy, not the deployments it has, and only deployments can be called.
 */
final class AzureProvider implements Provider {

    private final OpenAiProvider openAi;
    private final List<ProviderModel> deployments;

    AzureProvider(OpenAiProvider openAi, AzureOptions options) {
        this.openAi = openAi;
        this.deployments = options.deployments().keySet().stream()
                .sorted()
                .map(model -> new ProviderModel(model, 0, openAi.name()))
                .toList();
    }

    @Override
    public String name() {
        return openAi.name();
    }

    @Override
    public String kind() {
        return AzureProviderFactory.KIND;
    }

    /** Azure serves OpenAI's models: counted with OpenAI's own tokenizers. */
    @Override
    public Tokenizer tokenizer() {
        return Tokenizer.OPENAI;
    }

    /** The catalog lists Azure's deployments under the {@code azure} kind, whatever the resource is named. */
    @Override
    public boolean vendorProtocol() {
        return true;
    }

    /** Azure OpenAI reads {@code max_completion_tokens}, as OpenAI's API does. */
    @Override
    public boolean takesMaxCompletionTokens() {
        return true;
    }

    /** Azure OpenAI has the Responses API: such requests are passed through (see {@link AzureDialect}). */
    @Override
    public boolean speaks(dev.sluice.provider.WireProtocol protocol) {
        return openAi.speaks(protocol);
    }

    @Override
    public Uni<ObjectNode> chat(ChatCall call) {
        return openAi.chat(call);
    }

    @Override
    public Uni<ChatStream> chatStream(ChatCall call) {
        return openAi.chatStream(call);
    }

    @Override
    public Uni<ObjectNode> embeddings(EmbeddingsCall call) {
        return openAi.embeddings(call);
    }

    @Override
    public Uni<List<ProviderModel>> listModels() {
        return Uni.createFrom().item(deployments);
    }
}
