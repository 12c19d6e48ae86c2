package dev.sluice.provider.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.ChatCall;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.Provider;
import dev.sluice.provider.Tokenizer;
import dev.sluice.provider.ProviderModel;
import dev.sluice.provider.ProviderProfile;
import dev.sluice.provider.ProviderProfile.Feature;
import dev.sluice.provider.openai.OpenAiProvider;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Set;

/**
 * An Azure OpenAI resource. Chat, streaming and embeddings are the OpenAI adapter's, spoken in Azure's dialect
 * ({@link AzureDialect}). The model list is the configured deployments: Azure's data-plane API lists the models
 * a resource could deploy, not the deployments it has, and only deployments can be called.
 */
final class AzureProvider implements Provider {

    private final OpenAiProvider openAi;
    private final ProviderProfile profile;
    private final List<ProviderModel> deployments;

    AzureProvider(OpenAiProvider openAi, AzureOptions options) {
        this.openAi = openAi;
        // Azure serves OpenAI's models, counted with OpenAI's own tokenizers, and reads max_completion_tokens as
        // OpenAI's API does; the catalog lists its deployments under the azure kind, whatever the resource is
        // named; it has the Responses API, whose requests are passed through (see AzureDialect)
        this.profile = new ProviderProfile(openAi.name(), AzureProviderFactory.KIND, Tokenizer.OPENAI,
                openAi.profile().speaks(), Set.of(Feature.VENDOR_PROTOCOL, Feature.MAX_COMPLETION_TOKENS));
        this.deployments = options.deployments().keySet().stream()
                .sorted()
                .map(model -> new ProviderModel(model, 0, openAi.name()))
                .toList();
    }

    @Override
    public ProviderProfile profile() {
        return profile;
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
