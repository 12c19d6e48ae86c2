package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.CallContext;
import dev.sluice.provider.ChatCall;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import dev.sluice.openai.CompletionChunks;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.JsonProvider;
import dev.sluice.provider.JsonUpstream;
import dev.sluice.provider.Tokenizer;
import dev.sluice.provider.ProviderModel;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderProfile;
import dev.sluice.provider.ProviderProfile.Feature;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.SseEvent;
import dev.sluice.provider.UpstreamErrors;
import dev.sluice.provider.UpstreamException;
import dev.sluice.provider.UpstreamHttp;
import dev.sluice.provider.Passthrough;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.WireProtocol;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A provider that speaks OpenAI's API: OpenAI itself and every compatible service (DeepSeek, Groq, Mistral, xAI,
 * OpenRouter, Together, Fireworks, Ollama, vLLM, custom servers), and, through its own {@link OpenAiDialect},
 * Azure OpenAI.
 *
 * <p>Requests are forwarded as the client sent them, every field included, with only {@code model} replaced by
 * the upstream's name; responses and stream chunks come back untouched.
 */
public final class OpenAiProvider extends JsonProvider<JsonUpstream.ErrorReader> {

    private final OpenAiDialect dialect;

    /** A provider of OpenAI's protocol in {@code dialect}: OpenAI's own layout, or another's (Azure OpenAI). */
    public OpenAiProvider(ProviderSettings settings, ProviderParts parts, OpenAiDialect dialect) {
        super(settings, parts, profile(settings, dialect), JsonUpstream::openAiErrors);
        this.dialect = dialect;
    }

    /**
     * OpenAI's models, and other services' under their OpenAI names, are counted with OpenAI's own tokenizers.
     * OpenAI-compatible servers are many vendors': the catalog lists their models under each provider's name. Only
     * OpenAI's own API (the provider named {@code openai}) is known to read {@code max_completion_tokens};
     * OpenAI-compatible servers (vLLM, Ollama, Groq...) read {@code max_tokens}. A Responses API request is sent as
     * the client wrote it (only the model changed) to a service whose Responses endpoint the dialect knows: OpenAI
     * ({@code options.responses-api}, on for the built-in {@code openai} provider) and Azure OpenAI.
     */
    private static ProviderProfile profile(ProviderSettings settings, OpenAiDialect dialect) {
        return new ProviderProfile(settings.name(), settings.kind(), Tokenizer.OPENAI,
                dialect.responsesUrl("") != null ? Set.of(WireProtocol.OPENAI_RESPONSES) : Set.of(),
                OpenAiProviderFactory.KIND.equals(settings.name()) ? Set.of(Feature.MAX_COMPLETION_TOKENS) : Set.of());
    }

    @Override
    public Uni<ObjectNode> chat(ChatCall call) {
        if (call.passesThrough(WireProtocol.OPENAI_RESPONSES)) {
            Passthrough passthrough = call.passthrough();
            return upstream.call(HttpMethod.POST, dialect.responsesUrl(call.model()), passthroughHeaders(call, false),
                            responsesBody(call), call.context(), passthrough::answer)
                    .map(response -> ResponsesAnswers.completion(response, mapper.getNodeFactory()));
        }
        byte[] body = call.body().encodeFor(dialect.bodyModel(call.model()), mapper);
        return upstream.call(HttpMethod.POST, dialect.chatCompletionsUrl(call.model()), headers(call.context(), false),
                body, call.context());
    }

    @Override
    public Uni<ChatStream> chatStream(ChatCall call) {
        if (call.passesThrough(WireProtocol.OPENAI_RESPONSES)) {
            return responsesStream(call);
        }
        byte[] body = call.body().encodeFor(dialect.bodyModel(call.model()), mapper);
        return upstream.open(dialect.chatCompletionsUrl(call.model()), headers(call.context(), true), body,
                        call.context())
                .chain(response -> {
                    if (JsonUpstream.isJson(response)) {
                        // the upstream answered a stream request with a whole completion: replay it as chunks
                        return upstream.readJson(response).map(c -> new ChatStream(
                                Multi.createFrom().iterable(CompletionChunks.of(c, mapper))));
                    }
                    Multi<ChatChunk> chunks = upstream.events(response)
                            .select().where(e -> !e.dataIs("[DONE]"))
                            .map(this::chunk)
                            .select().where(dialect::relay);
                    return Uni.createFrom().item(new ChatStream(chunks));
                });
    }

    /**
     * A passed-through Responses stream: its events reach the client as they came and are read as chat chunks for
     * the gateway (usage for billing, text for metering).
     */
    private Uni<ChatStream> responsesStream(ChatCall call) {
        Passthrough passthrough = call.passthrough();
        return upstream.open(dialect.responsesUrl(call.model()), passthroughHeaders(call, true), responsesBody(call),
                        call.context())
                .chain(response -> {
                    if (JsonUpstream.isJson(response)) {
                        return Uni.createFrom().failure(UpstreamException.badResponse(name(),
                                "the Responses endpoint answered a stream request with a whole response"));
                    }
                    ResponsesAnswers.Stream translator = new ResponsesAnswers.Stream(name(), mapper, call.model());
                    return Uni.createFrom().item(new ChatStream(
                            StreamTranslator.translateRelaying(upstream.events(response), translator, mapper),
                            WireProtocol.OPENAI_RESPONSES));
                });
    }

    /** The passed-through body with the model the dialect names in bodies (Azure: the deployment). */
    private byte[] responsesBody(ChatCall call) {
        String bodyModel = dialect.bodyModel(call.model());
        if (bodyModel.equals(call.model())) {
            return call.passthrough().body();
        }
        try {
            byte[] spliced = dev.sluice.openai.WireBody.spliceModel(call.passthrough().body(), bodyModel, mapper);
            if (spliced != null) {
                return spliced;
            }
            ObjectNode tree = (ObjectNode) mapper.readTree(call.passthrough().body());
            tree.put("model", bodyModel);
            return mapper.writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw UpstreamException.badResponse(name(), "the request body could not be re-encoded");
        }
    }

    private Map<String, String> passthroughHeaders(ChatCall call, boolean stream) {
        Map<String, String> headers = headers(call.context(), stream);
        headers.putAll(call.passthrough().forwardHeaders());
        return headers;
    }

    @Override
    public Uni<ObjectNode> embeddings(EmbeddingsCall call) {
        byte[] body = call.body().encodeFor(dialect.bodyModel(call.model()), mapper);
        return upstream.call(HttpMethod.POST, dialect.embeddingsUrl(call.model()), headers(call.context(), false),
                body, call.context());
    }

    @Override
    public Uni<List<ProviderModel>> listModels() {
        Map<String, String> headers = headers(null, false);
        headers.remove("content-type");
        return upstream.call(HttpMethod.GET, dialect.modelsUrl(), headers, null, null)
                .map(list -> {
                    List<ProviderModel> out = new ArrayList<>();
                    for (JsonNode m : list.path("data")) {
                        String id = m.path("id").asText(null);
                        if (id != null) {
                            out.add(new ProviderModel(id, m.path("created").asLong(0),
                                    m.path("owned_by").asText(name())));
                        }
                    }
                    return out;
                });
    }

    private Map<String, String> headers(CallContext context, boolean stream) {
        Map<String, String> headers = new HashMap<>(8);
        UpstreamHttp.common(headers, context, stream);
        dialect.authenticate(headers);
        headers.putAll(settings.headers());
        return headers;
    }

    private ChatChunk chunk(SseEvent event) {
        ChatChunk chunk = ChatChunk.ofRaw(mapper, event.data());
        if (chunk.rawContains("\"error\"")) {
            ObjectNode json;
            try {
                json = chunk.json();
            } catch (IllegalStateException notJson) {
                throw UpstreamException.badResponse(name(), "a stream event is not JSON");
            }
            if (json.has("error") && !json.has("choices")) {
                throw UpstreamErrors.from(name(), 500, h -> null, event.data().getBytes(), mapper);
            }
        }
        return chunk;
    }
}
