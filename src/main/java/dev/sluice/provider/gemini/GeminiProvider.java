package dev.sluice.provider.gemini;

import dev.sluice.provider.Tokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.CallContext;
import dev.sluice.provider.ChatCall;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.JsonProvider;
import dev.sluice.provider.JsonUpstream;
import dev.sluice.provider.ModelPath;
import dev.sluice.provider.ProviderModel;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderProfile;
import dev.sluice.provider.ProviderProfile.Feature;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.ToolForms;
import dev.sluice.provider.UpstreamHttp;
import dev.sluice.tokens.TokenCounter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sluice.provider.JsonUpstream.now;

/**
 * A provider speaking Google's Gemini API: {@code POST {base}/v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}, keyed by {@code x-goog-api-key}. Requests are translated by
 * {@link GeminiRequestMapper}, answers by {@link GeminiResponseMapper}, streams event by event by
 * {@link GeminiStreamTranslator}, errors by {@link GeminiErrors}; embeddings go through
 * {@link GeminiEmbeddings}; the model list comes from {@code GET /v1beta/models} (ids without {@code models/}).
 */
final class GeminiProvider extends JsonProvider<GeminiErrors> {

    private static final int MODEL_PAGE = 1000;
    private static final int MAX_MODEL_PAGES = 20;

    private final GeminiRequestMapper requests;
    private final GeminiEmbeddings embeddings;
    private final String api;

    GeminiProvider(ProviderSettings settings, ProviderParts parts, GeminiOptions options, TokenCounter tokens) {
        // a client's web_search tool becomes Gemini's Google Search grounding
        super(settings, parts, new ProviderProfile(settings.name(), GeminiProviderFactory.KIND, Tokenizer.GEMINI,
                Set.of(), Set.of(Feature.VENDOR_PROTOCOL, Feature.WEB_SEARCH)), GeminiErrors::new);
        this.requests = new GeminiRequestMapper(settings.name(), options, mapper,
                parts.images(settings.name(), options.imageMaxBytes(), options.imageTimeout()));
        this.api = settings.baseUrl() + "/" + options.apiVersion() + "/";
        this.embeddings = new GeminiEmbeddings(settings.name(), mapper, upstream, tokens);
    }

    /**
     * {@code {base}/v1beta/models/{model}{method}}; a model given as {@code models/x} or {@code tunedModels/x} keeps
     * its collection. The name is one encoded path segment ({@link ModelPath}): it cannot leave the model's path,
     * add a query or switch to another method.
     */
    String modelUrl(String model, String method) {
        int slash = model.indexOf('/');
        String collection = slash > 0 ? model.substring(0, slash + 1) : "";
        if (!collection.equals(GeminiWire.MODELS_PREFIX) && !collection.equals(TUNED_MODELS_PREFIX)) {
            return api + GeminiWire.MODELS_PREFIX + ModelPath.segment(model) + method;
        }
        return api + collection + ModelPath.segment(model.substring(slash + 1)) + method;
    }

    private static final String TUNED_MODELS_PREFIX = "tunedModels/";

    @Override
    public Uni<ObjectNode> chat(ChatCall call) {
        return Uni.createFrom().deferred(() -> {
            ToolForms forms = ToolForms.of(call.body(), mapper);
            return requests.translate(forms.request(), call.model())
                    .chain(body -> upstream.call(HttpMethod.POST, modelUrl(call.model(), GeminiWire.GENERATE),
                            headers(call.context(), false), upstream.encode(body), call.context()))
                    .map(response -> forms.completion(GeminiResponseMapper.toCompletion(response, name(),
                            call.model(), now(), mapper.getNodeFactory())));
        });
    }

    @Override
    public Uni<ChatStream> chatStream(ChatCall call) {
        boolean includeUsage = call.body().includeUsage();
        return Uni.createFrom().deferred(() -> {
            ToolForms forms = ToolForms.of(call.body(), mapper);
            return requests.translate(forms.request(), call.model())
                    .chain(body -> upstream.open(modelUrl(call.model(), GeminiWire.STREAM),
                            headers(call.context(), true), upstream.encode(body), call.context()))
                    .chain(response -> {
                        if (JsonUpstream.isJson(response)) {
                            // a whole answer instead of events: replay it as the chunks a stream would carry
                            return upstream.readJson(response).map(whole -> {
                                ObjectNode completion = GeminiResponseMapper.toCompletion(whole, name(), call.model(),
                                        now(), mapper.getNodeFactory());
                                return forms.stream(ChatStream.replay(completion, mapper, includeUsage));
                            });
                        }
                        GeminiStreamTranslator translator = new GeminiStreamTranslator(errors, call.model(),
                                includeUsage, now(), call.context());
                        return Uni.createFrom().item(forms.stream(new ChatStream(
                                StreamTranslator.translate(upstream.events(response), translator))));
                    });
        });
    }

    @Override
    public Uni<ObjectNode> embeddings(EmbeddingsCall call) {
        return Uni.createFrom().deferred(() -> embeddings.embed(call, this::modelUrl, headers(call.context(), false)));
    }

    @Override
    public Uni<List<ProviderModel>> listModels() {
        return page(null, new ArrayList<>(), 0);
    }

    private Uni<List<ProviderModel>> page(String token, List<ProviderModel> out, int pages) {
        String url = api + "models?pageSize=" + MODEL_PAGE
                + (token == null ? "" : "&pageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        Map<String, String> headers = headers(null, false);
        headers.remove("content-type");
        return upstream.call(HttpMethod.GET, url, headers, null, null).chain(list -> {
            for (JsonNode m : list.path("models")) {
                String id = m.path("name").asText("");
                if (id.startsWith(GeminiWire.MODELS_PREFIX)) {
                    id = id.substring(GeminiWire.MODELS_PREFIX.length());
                }
                if (!id.isEmpty()) {
                    out.add(new ProviderModel(id, 0, "google"));
                }
            }
            String next = list.path("nextPageToken").asText("");
            if (!next.isEmpty() && pages + 1 < MAX_MODEL_PAGES) {
                return page(next, out, pages + 1);
            }
            return Uni.createFrom().item(out);
        });
    }

    private Map<String, String> headers(CallContext context, boolean stream) {
        Map<String, String> headers = new HashMap<>(8);
        UpstreamHttp.common(headers, context, stream);
        settings.apiKey().ifPresent(key -> headers.put(GeminiWire.API_KEY_HEADER, key));
        headers.putAll(settings.headers());
        return headers;
    }
}
