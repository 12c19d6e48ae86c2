package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.EmbeddingsRequest;
import dev.sluice.provider.EmbeddingsCall;
import dev.sluice.provider.JsonUpstream;
import dev.sluice.provider.UpstreamException;
import dev.sluice.tokens.TokenCounter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpMethod;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * OpenAI embeddings through Gemini: one string goes to {@code :embedContent}, a list of strings to
 * {@code :batchEmbedContents} (in batches of {@value #BATCH}, Gemini's limit, sent concurrently and put back in
 * order); {@code dimensions} becomes {@code outputDimensionality}; {@code encoding_format: base64} gives OpenAI's
 * little-endian float32 encoding. A Gemini {@code task_type} in the request is passed on. Gemini reports no token
 * counts for embeddings, so {@code usage} is Sluice's estimate ({@link TokenCounter}). Token-id inputs are refused:
 * Gemini embeds text.
 */
final class GeminiEmbeddings {

    static final int BATCH = 100;

    private final String provider;
    private final ObjectMapper mapper;
    private final JsonUpstream upstream;
    private final TokenCounter tokens;

    GeminiEmbeddings(String provider, ObjectMapper mapper, JsonUpstream upstream, TokenCounter tokens) {
        this.provider = provider;
        this.mapper = mapper;
        this.upstream = upstream;
        this.tokens = tokens;
    }

    Uni<ObjectNode> embed(EmbeddingsCall call, BiFunction<String, String, String> modelUrl,
                          Map<String, String> headers) {
        EmbeddingsRequest request = call.body().view();
        List<String> texts = texts(request.input());
        String model = call.model();
        String taskType = call.body().body().path("task_type").asText(call.body().body().path("taskType").asText(""));
        Uni<List<JsonNode>> vectors;
        if (request.input().isTextual()) {
            ObjectNode body = entry(model, texts.get(0), request.dimensions(), taskType);
            vectors = upstream.call(HttpMethod.POST, modelUrl.apply(model, GeminiWire.EMBED), headers, upstream.encode(body),
                    call.context()).map(r -> List.of(values(r.path("embedding"))));
        } else {
            List<Uni<List<JsonNode>>> batches = new ArrayList<>();
            for (int from = 0; from < texts.size(); from += BATCH) {
                ObjectNode body = mapper.createObjectNode();
                ArrayNode requests = body.putArray("requests");
                for (String text : texts.subList(from, Math.min(texts.size(), from + BATCH))) {
                    ObjectNode r = entry(model, text, request.dimensions(), taskType);
                    r.put("model", model.contains("/") ? model : GeminiWire.MODELS_PREFIX + model);
                    requests.add(r);
                }
                int expected = requests.size();
                batches.add(upstream.call(HttpMethod.POST, modelUrl.apply(model, GeminiWire.BATCH_EMBED), headers,
                        upstream.encode(body), call.context()).map(r -> {
                            List<JsonNode> out = new ArrayList<>(expected);
                            r.path("embeddings").forEach(e -> out.add(values(e)));
                            if (out.size() != expected) {
                                throw UpstreamException.badResponse(provider, "asked for " + expected
                                        + " embeddings, received " + out.size());
                            }
                            return out;
                        }));
            }
            vectors = Uni.join().all(batches).andFailFast().map(lists -> {
                List<JsonNode> all = new ArrayList<>(texts.size());
                lists.forEach(all::addAll);
                return all;
            });
        }
        boolean base64 = "base64".equals(request.encodingFormat());
        return vectors.emitOn(Infrastructure.getDefaultWorkerPool()).map(list -> {
            ObjectNode out = mapper.createObjectNode();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            for (int i = 0; i < list.size(); i++) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", i);
                if (base64) {
                    item.put("embedding", base64(list.get(i)));
                } else {
                    item.set("embedding", list.get(i));
                }
            }
            out.put("model", model);
            long prompt = 0;
            for (String text : texts) {
                prompt += tokens.count(text, GeminiProviderFactory.KIND, model);
            }
            ObjectNode usage = out.putObject("usage");
            usage.put("prompt_tokens", prompt);
            usage.put("total_tokens", prompt);
            return out;
        });
    }

    private ObjectNode entry(String model, String text, Integer dimensions, String taskType) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("content").putArray("parts").addObject().put(GeminiWire.TEXT, text);
        if (dimensions != null) {
            body.put("outputDimensionality", dimensions);
        }
        if (!taskType.isEmpty()) {
            body.put("taskType", taskType);
        }
        return body;
    }

    private List<String> texts(JsonNode input) {
        if (input.isTextual()) {
            if (input.asText().isEmpty()) {
                throw ApiException.invalidRequest("Invalid 'input': must not be empty", "input");
            }
            return List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ApiException.invalidRequest("Invalid 'input': expected a string or a non-empty array of strings",
                    "input");
        }
        List<String> out = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (!item.isTextual()) {
                throw dev.sluice.provider.Unsupported.parameter(provider, "input[" + i + "]",
                        "Gemini embeds text, not token ids");
            }
            if (item.asText().isEmpty()) {
                throw ApiException.invalidRequest("Invalid 'input[" + i + "]': must not be empty", "input[" + i + "]");
            }
            out.add(item.asText());
        }
        return out;
    }

    private JsonNode values(JsonNode embedding) {
        JsonNode values = embedding.path("values");
        if (!values.isArray()) {
            throw UpstreamException.badResponse(provider, "an embedding without values");
        }
        return values;
    }

    private static String base64(JsonNode values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(v -> buffer.putFloat((float) v.asDouble()));
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
