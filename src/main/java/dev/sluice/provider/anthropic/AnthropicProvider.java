package dev.sluice.provider.anthropic;

import dev.sluice.anthropic.AnthropicWire;
import dev.sluice.provider.Tokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.CallContext;
import dev.sluice.provider.ChatCall;
import dev.sluice.provider.ChatStream;
import dev.sluice.openai.CompletionChunks;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.JsonProvider;
import dev.sluice.provider.JsonUpstream;
import dev.sluice.provider.Passthrough;
import dev.sluice.provider.WireProtocol;
import dev.sluice.provider.ProviderModel;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderProfile;
import dev.sluice.provider.ProviderProfile.Feature;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.ToolForms;
import dev.sluice.provider.Unsupported;
import dev.sluice.provider.UpstreamHttp;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sluice.provider.JsonUpstream.now;

/**
 * A provider speaking Anthropic's Messages API ({@code POST {base}/v1/messages}, keyed by {@code x-api-key} and
 * versioned by {@code anthropic-version}). Requests are translated by {@link AnthropicRequestMapper}, answers by
 * {@link AnthropicResponseMapper}, streams event by event by {@link AnthropicStreamTranslator}, errors by
 * {@link AnthropicErrors}. The model list comes from Anthropic's {@code GET /v1/models}. Anthropic has no
 * embeddings endpoint: an embeddings call is a 400 saying so.
 */
final class AnthropicProvider extends JsonProvider<AnthropicErrors> {

    /** Anthropic's largest page of the model list. */
    private static final int MODEL_PAGE = 1000;
    private static final int MAX_MODEL_PAGES = 20;

    private final AnthropicOptions options;
    private final AnthropicRequestMapper requests;
    private final String messagesUrl;

    AnthropicProvider(ProviderSettings settings, ProviderParts parts, AnthropicOptions options) {
        // a client's web_search tool becomes Anthropic's own web search server tool; Anthropic's own Messages
        // requests are sent as the client wrote them
        super(settings, parts, new ProviderProfile(settings.name(), AnthropicProviderFactory.KIND, Tokenizer.CLAUDE,
                Set.of(WireProtocol.ANTHROPIC_MESSAGES), Set.of(Feature.VENDOR_PROTOCOL, Feature.WEB_SEARCH)),
                AnthropicErrors::new);
        this.options = options;
        this.requests = new AnthropicRequestMapper(settings.name(), options, mapper);
        this.messagesUrl = settings.baseUrl() + AnthropicWire.MESSAGES_PATH;
    }

    @Override
    public Uni<ObjectNode> chat(ChatCall call) {
        if (call.passesThrough(WireProtocol.ANTHROPIC_MESSAGES)) {
            Passthrough passthrough = call.passthrough();
            return upstream.call(HttpMethod.POST, messagesUrl, passthroughHeaders(call.context(), passthrough, false),
                            passthrough.body(), call.context(), passthrough::answer)
                    .map(message -> AnthropicResponseMapper.toCompletion(message, null, now(),
                            mapper.getNodeFactory()));
        }
        return Uni.createFrom().deferred(() -> {
            ToolForms forms = ToolForms.of(call.body(), mapper);
            AnthropicRequestMapper.Translated request = requests.translate(forms.request(), call.model(), false);
            return upstream.call(HttpMethod.POST, messagesUrl, headers(call.context(), false), upstream.encode(request.body()),
                            call.context())
                    .map(message -> forms.completion(AnthropicResponseMapper.toCompletion(message, request.jsonTool(),
                            now(), mapper.getNodeFactory())));
        });
    }

    @Override
    public Uni<ChatStream> chatStream(ChatCall call) {
        if (call.passesThrough(WireProtocol.ANTHROPIC_MESSAGES)) {
            return passthroughStream(call);
        }
        return Uni.createFrom().deferred(() -> {
            ToolForms forms = ToolForms.of(call.body(), mapper);
            AnthropicRequestMapper.Translated request = requests.translate(forms.request(), call.model(), true);
            boolean includeUsage = call.body().includeUsage();
            return upstream.open(messagesUrl, headers(call.context(), true), upstream.encode(request.body()),
                            call.context())
                    .chain(response -> {
                        if (JsonUpstream.isJson(response)) {
                            // a whole message instead of events: replay it as the chunks a stream would carry
                            return upstream.readJson(response).map(message -> {
                                ObjectNode completion = AnthropicResponseMapper.toCompletion(message,
                                        request.jsonTool(), now(), mapper.getNodeFactory());
                                return forms.stream(ChatStream.replay(completion, mapper, includeUsage));
                            });
                        }
                        AnthropicStreamTranslator translator = new AnthropicStreamTranslator(errors,
                                request.jsonTool(), includeUsage, now(), call.context());
                        return Uni.createFrom().item(forms.stream(new ChatStream(
                                StreamTranslator.translate(upstream.events(response), translator))));
                    });
        });
    }

    /**
     * The client's Messages request sent as it is: its events are relayed to the client as they came, and also
     * translated to OpenAI chunks for the gateway (usage, metering). An upstream that answers the stream with a
     * whole message is translated like any other (its chunks carry no native events).
     */
    private Uni<ChatStream> passthroughStream(ChatCall call) {
        Passthrough passthrough = call.passthrough();
        return upstream.open(messagesUrl, passthroughHeaders(call.context(), passthrough, true), passthrough.body(),
                        call.context())
                .chain(response -> {
                    if (JsonUpstream.isJson(response)) {
                        return upstream.readJson(response).map(message -> new ChatStream(Multi.createFrom().iterable(
                                CompletionChunks.of(AnthropicResponseMapper.toCompletion(message, null, now(),
                                        mapper.getNodeFactory()), mapper))));
                    }
                    AnthropicStreamTranslator translator = new AnthropicStreamTranslator(errors, null, true, now(),
                            call.context());
                    return Uni.createFrom().item(new ChatStream(
                            StreamTranslator.translateRelaying(upstream.events(response), translator, mapper),
                            WireProtocol.ANTHROPIC_MESSAGES));
                });
    }

    /** The provider's own headers, then the client's Anthropic headers ({@code anthropic-version}, betas). */
    private Map<String, String> passthroughHeaders(CallContext context, Passthrough passthrough, boolean stream) {
        Map<String, String> headers = headers(context, stream);
        headers.putAll(passthrough.forwardHeaders());
        return headers;
    }

    /** Anthropic's own {@code POST /v1/messages/count_tokens}, given the client's request as it came. */
    @Override
    public Uni<ObjectNode> countTokens(ChatCall call) {
        if (!call.passesThrough(WireProtocol.ANTHROPIC_MESSAGES)) {
            return super.countTokens(call);
        }
        return upstream.call(HttpMethod.POST, settings.baseUrl() + AnthropicWire.COUNT_TOKENS_PATH,
                passthroughHeaders(call.context(), call.passthrough(), false), call.passthrough().body(),
                call.context());
    }

    @Override
    public Uni<ObjectNode> embeddings(EmbeddingsCall call) {
        return Uni.createFrom().failure(Unsupported.operation(name(), "embeddings",
                "Anthropic's API has no embeddings endpoint; use an embeddings model of another provider"));
    }

    @Override
    public Uni<List<ProviderModel>> listModels() {
        return page(null, new ArrayList<>(), 0);
    }

    /** Follows Anthropic's cursor ({@code has_more}, {@code last_id}) through the whole list. */
    private Uni<List<ProviderModel>> page(String afterId, List<ProviderModel> out, int pages) {
        String url = settings.baseUrl() + AnthropicWire.MODELS_PATH + "?limit=" + MODEL_PAGE
                + (afterId == null ? "" : "&after_id=" + URLEncoder.encode(afterId, StandardCharsets.UTF_8));
        Map<String, String> headers = headers(null, false);
        headers.remove("content-type");
        return upstream.call(HttpMethod.GET, url, headers, null, null).chain(list -> {
            for (JsonNode m : list.path("data")) {
                String id = m.path("id").asText(null);
                if (id != null) {
                    out.add(new ProviderModel(id, epochSeconds(m.path("created_at").asText(null)), "anthropic"));
                }
            }
            String last = list.path("last_id").asText(null);
            if (list.path("has_more").asBoolean(false) && last != null && pages + 1 < MAX_MODEL_PAGES) {
                return page(last, out, pages + 1);
            }
            return Uni.createFrom().item(out);
        });
    }

    private static long epochSeconds(String timestamp) {
        if (timestamp == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(timestamp).toEpochSecond();
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    private Map<String, String> headers(CallContext context, boolean stream) {
        Map<String, String> headers = new HashMap<>(8);
        UpstreamHttp.common(headers, context, stream);
        settings.apiKey().ifPresent(key -> headers.put(AnthropicWire.API_KEY_HEADER, key));
        headers.put(AnthropicWire.VERSION_HEADER, options.version());
        headers.putAll(settings.headers());
        return headers;
    }
}
