package dev.sluice.provider.bedrock;

import dev.sluice.provider.Tokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.provider.CallContext;
import dev.sluice.provider.ChatCall;
import dev.sluice.provider.ChatStream;
import dev.sluice.openai.CompletionChunks;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.JsonProvider;
import dev.sluice.provider.JsonUpstream;
import dev.sluice.provider.ModelPath;
import dev.sluice.provider.Passthrough;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderModel;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderProfile;
import dev.sluice.provider.ProviderProfile.Feature;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.ToolForms;
import dev.sluice.provider.Unsupported;
import dev.sluice.provider.UpstreamException;
import dev.sluice.provider.UpstreamHttp;
import dev.sluice.provider.WireProtocol;
import dev.sluice.provider.anthropic.AnthropicMessages;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sluice.provider.JsonUpstream.now;

/**
 * A provider speaking Amazon Bedrock's Converse API: {@code POST {runtime}/model/{modelId}/converse} and
 * {@code /converse-stream} (binary event stream), signed with SigV4 by AWS's signer or authorised by a Bedrock API
 * key ({@link BedrockAuth}). Requests are translated by {@link BedrockRequestMapper}, answers by
 * {@link BedrockResponseMapper}, streams frame by frame ({@link EventStreamFrames}) and event by event
 * ({@link BedrockStreamTranslator}), errors by {@link BedrockErrors}.
 *
 * <p>A client's Anthropic Messages request for one of Anthropic's models ({@link BedrockAnthropic#isAnthropic})
 * passes through instead: its body, in Bedrock's form ({@link BedrockAnthropic}), goes to InvokeModel
 * ({@code /invoke}, {@code /invoke-with-response-stream}), the answer and the stream's Anthropic events come back
 * to the client as Bedrock sent them, and are read for the gateway as Anthropic's ({@link AnthropicMessages});
 * {@code count_tokens} goes to CountTokens.
 *
 * <p>The model list is the control plane's {@code ListFoundationModels} (on-demand text models) plus
 * {@code ListInferenceProfiles} (the cross-region profiles, e.g. {@code us.anthropic.claude-...}, that newer models
 * must be called through), both signed. Converse has no embeddings: an embeddings call is a 400 saying so.
 */
final class BedrockProvider extends JsonProvider<BedrockErrors> {

    private static final int MAX_PAGES = 20;

    private final BedrockOptions options;
    private final BedrockAuth auth;
    private final BedrockRequestMapper requests;
    private final BedrockAnthropic anthropic;

    BedrockProvider(ProviderSettings settings, ProviderParts parts, BedrockOptions options, BedrockAuth auth) {
        // Bedrock serves several vendors' models: their names say whose tokenizer counts them
        super(settings, parts, new ProviderProfile(settings.name(), BedrockProviderFactory.KIND,
                Tokenizer.BY_MODEL_NAME, Set.of(WireProtocol.ANTHROPIC_MESSAGES), Set.of(Feature.VENDOR_PROTOCOL)),
                BedrockErrors::new);
        this.options = options;
        this.auth = auth;
        this.requests = new BedrockRequestMapper(settings.name(), options, mapper,
                parts.images(settings.name(), options.imageMaxBytes(), options.imageTimeout()));
        this.anthropic = new BedrockAnthropic(settings.name(), mapper, errors, options.anthropicBetas());
    }

    /** {@code {runtime}/model/{modelId}{operation}}; the model id (or ARN) is one encoded path segment. */
    String modelUrl(String model, String operation) {
        return settings.baseUrl() + BedrockWire.MODEL_PATH + ModelPath.segment(model) + operation;
    }

    /** Only Anthropic's models take a client's Messages request as it is (InvokeModel); other models translate. */
    @Override
    public boolean speaks(WireProtocol protocol, String model) {
        return super.speaks(protocol, model) && BedrockAnthropic.isAnthropic(model);
    }

    @Override
    public Uni<ObjectNode> chat(ChatCall call) {
        if (call.passesThrough(WireProtocol.ANTHROPIC_MESSAGES)) {
            return invoke(call);
        }
        String url = modelUrl(call.model(), BedrockWire.CONVERSE);
        return converse(call, url, false)
                .chain(c -> upstream.call(HttpMethod.POST, url, c.headers(), c.body(), call.context())
                        .map(response -> c.forms().completion(BedrockResponseMapper.toCompletion(response,
                                call.model(), null, c.request().jsonTool(), now(), mapper.getNodeFactory()))));
    }

    @Override
    public Uni<ChatStream> chatStream(ChatCall call) {
        if (call.passesThrough(WireProtocol.ANTHROPIC_MESSAGES)) {
            return invokeStream(call);
        }
        String url = modelUrl(call.model(), BedrockWire.CONVERSE_STREAM);
        boolean includeUsage = call.body().includeUsage();
        return converse(call, url, true)
                .chain(c -> upstream.open(url, c.headers(), c.body(), call.context())
                        .chain(response -> {
                            String id = BedrockResponseMapper.completionId(
                                    response.getHeader(BedrockWire.REQUEST_ID_HEADER));
                            if (JsonUpstream.isJson(response)) {
                                return upstream.readJson(response).map(whole -> c.forms().stream(replay(whole,
                                        call.model(), c.request().jsonTool(), includeUsage)));
                            }
                            BedrockStreamTranslator translator = new BedrockStreamTranslator(errors, id,
                                    call.model(), c.request().jsonTool(), includeUsage, now());
                            return Uni.createFrom().item(c.forms().stream(new ChatStream(StreamTranslator.translate(
                                    EventStreamFrames.decode(name(), upstream.body(response)), translator))));
                        }));
    }

    /** A Converse request ready to send: the client's tool forms, the translation, its signed headers and body. */
    private record Converse(ToolForms forms, BedrockRequestMapper.Translated request, Map<String, String> headers,
                            byte[] body) {
    }

    /** The client's request translated to Converse and authorised for {@code url}, as chat and streaming send it. */
    private Uni<Converse> converse(ChatCall call, String url, boolean stream) {
        return Uni.createFrom().deferred(() -> {
            ToolForms forms = ToolForms.of(call.body(), mapper);
            return requests.translate(forms.request(), call.model())
                    .chain(request -> {
                        byte[] body = upstream.encode(request.body());
                        Map<String, String> headers = headers(call.context(), stream);
                        return authorize("POST", url, headers, body)
                                .replaceWith(new Converse(forms, request, headers, body));
                    });
        });
    }

    /** InvokeModel with the client's Messages body: the answer is relayed as it came, and read as Anthropic's. */
    private Uni<ObjectNode> invoke(ChatCall call) {
        String url = modelUrl(call.model(), BedrockWire.INVOKE);
        return invokeRequest(call, url, false)
                .chain(r -> upstream.call(HttpMethod.POST, url, r.headers(), r.body(), call.context(),
                        call.passthrough()::answer))
                .map(message -> AnthropicMessages.completion(message, mapper));
    }

    /**
     * InvokeModelWithResponseStream with the client's Messages body: each {@code chunk} frame's Anthropic event is
     * relayed to the client as it came and translated for the gateway (usage, metering); an {@code exception}
     * frame fails the stream, which the client then sees as an Anthropic {@code error} event. An answer that is a
     * whole message instead of events is translated like any other (its chunks carry no native events).
     */
    private Uni<ChatStream> invokeStream(ChatCall call) {
        String url = modelUrl(call.model(), BedrockWire.INVOKE_STREAM);
        return invokeRequest(call, url, true)
                .chain(r -> upstream.open(url, r.headers(), r.body(), call.context()))
                .chain(response -> {
                    if (JsonUpstream.isJson(response)) {
                        return upstream.readJson(response).map(message -> new ChatStream(Multi.createFrom()
                                .iterable(CompletionChunks.of(AnthropicMessages.completion(message, mapper),
                                        mapper))));
                    }
                    return Uni.createFrom().item(new ChatStream(StreamTranslator.translateRelaying(
                            anthropic.events(EventStreamFrames.decode(name(), upstream.body(response))),
                            AnthropicMessages.streamTranslator(name(), mapper, call.context()), mapper),
                            WireProtocol.ANTHROPIC_MESSAGES));
                });
    }

    /** A request's body and headers, authorised for its URL. */
    private record Signed(Map<String, String> headers, byte[] body) {
    }

    /** The client's Messages body in InvokeModel's form, authorised for {@code url}. */
    private Uni<Signed> invokeRequest(ChatCall call, String url, boolean stream) {
        Passthrough passthrough = call.passthrough();
        return Uni.createFrom().deferred(() -> {
            byte[] body = anthropic.invokeBody(passthrough.body(), passthrough.forwardHeaders());
            Map<String, String> headers = headers(call.context(), stream);
            if (!stream) {
                headers.put("accept", "application/json");
            }
            return authorize("POST", url, headers, body).replaceWith(new Signed(headers, body));
        });
    }

    /**
     * Bedrock's CountTokens for a passed-through count_tokens request, asked of the foundation model (CountTokens
     * refuses inference profiles). Bedrock does not count for every Anthropic model, and credentials allowed to
     * invoke a model may not be allowed to count: when it refuses for either reason (400 naming token counting,
     * 403, 404), the answer is null and the gateway estimates instead.
     */
    @Override
    public Uni<ObjectNode> countTokens(ChatCall call) {
        if (!call.passesThrough(WireProtocol.ANTHROPIC_MESSAGES)) {
            return super.countTokens(call);
        }
        String url = modelUrl(BedrockAnthropic.foundationModel(call.model()), BedrockWire.COUNT_TOKENS);
        Passthrough passthrough = call.passthrough();
        return Uni.createFrom().deferred(() -> {
            byte[] body = anthropic.countTokensBody(passthrough.body(), passthrough.forwardHeaders());
            Map<String, String> headers = headers(call.context(), false);
            return authorize("POST", url, headers, body)
                    .chain(() -> upstream.call(HttpMethod.POST, url, headers, body, call.context()))
                    .map(anthropic::countTokensAnswer)
                    .onFailure(BedrockProvider::doesNotCount).recoverWithNull();
        });
    }

    private static boolean doesNotCount(Throwable failure) {
        if (!(failure instanceof UpstreamException refused)) {
            return false;
        }
        int status = refused.upstreamStatus();
        return status == 403 || status == 404 || status == 400
                && String.valueOf(refused.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("counting tokens");
    }

    private ChatStream replay(ObjectNode whole, String model, String jsonTool, boolean includeUsage) {
        ObjectNode completion = BedrockResponseMapper.toCompletion(whole, model, null, jsonTool, now(),
                mapper.getNodeFactory());
        return ChatStream.replay(completion, mapper, includeUsage);
    }

    @Override
    public Uni<ObjectNode> embeddings(EmbeddingsCall call) {
        return Uni.createFrom().failure(Unsupported.operation(name(), "embeddings",
                "Bedrock's Converse API has no embeddings; use an embeddings model of another provider"));
    }

    @Override
    public Uni<List<ProviderModel>> listModels() {
        Set<String> ids = new LinkedHashSet<>();
        Uni<Void> foundation = get(options.controlBaseUrl() + BedrockWire.FOUNDATION_MODELS
                + "?byInferenceType=ON_DEMAND&byOutputModality=TEXT").invoke(list -> {
                    for (JsonNode m : list.path("modelSummaries")) {
                        boolean active = !"LEGACY".equals(m.path("modelLifecycle").path("status").asText());
                        if (active && m.path("modelId").isTextual()) {
                            ids.add(m.get("modelId").asText());
                        }
                    }
                }).replaceWithVoid();
        return foundation.chain(() -> profiles(null, ids, 0)).map(v -> {
            List<ProviderModel> out = new ArrayList<>(ids.size());
            ids.forEach(id -> out.add(new ProviderModel(id, 0, "aws-bedrock")));
            return out;
        });
    }

    /** The system-defined inference profiles, page after page ({@code nextToken}). */
    private Uni<Void> profiles(String token, Set<String> ids, int pages) {
        String url = options.controlBaseUrl() + BedrockWire.INFERENCE_PROFILES + "?maxResults=1000&typeEquals=SYSTEM_DEFINED"
                + (token == null ? "" : "&nextToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        return get(url).chain(list -> {
            for (JsonNode p : list.path("inferenceProfileSummaries")) {
                if (p.path("inferenceProfileId").isTextual() && !"LEGACY".equals(p.path("status").asText())) {
                    ids.add(p.get("inferenceProfileId").asText());
                }
            }
            String next = list.path("nextToken").asText("");
            if (!next.isEmpty() && pages + 1 < MAX_PAGES) {
                return profiles(next, ids, pages + 1);
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<ObjectNode> get(String url) {
        Map<String, String> headers = headers(null, false);
        headers.remove("content-type");
        return authorize("GET", url, headers, null)
                .chain(() -> upstream.call(HttpMethod.GET, url, headers, null, null));
    }

    private Uni<Void> authorize(String method, String url, Map<String, String> headers, byte[] body) {
        return auth.authorize(method, url, headers, body).onFailure(f -> !(f instanceof ApiException))
                .transform(f -> new UpstreamException(name(), UpstreamException.Kind.AUTHENTICATION, 0, 502,
                        ApiException.UPSTREAM_ERROR, "upstream_credentials_unavailable", null,
                        "Provider '" + name() + "' has no usable AWS credentials: " + f.getMessage(), null));
    }

    private Map<String, String> headers(CallContext context, boolean stream) {
        Map<String, String> headers = new HashMap<>(12);
        UpstreamHttp.common(headers, context, stream);
        if (stream) {
            headers.put("accept", BedrockWire.EVENT_STREAM);
        }
        headers.putAll(settings.headers());
        return headers;
    }
}
