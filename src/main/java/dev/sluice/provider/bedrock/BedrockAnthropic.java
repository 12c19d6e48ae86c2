package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.provider.SseEvent;
import dev.sluice.provider.UpstreamException;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.Message;

import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bedrock's wire format for Anthropic's models called through InvokeModel, where a client's Anthropic Messages
 * request passes through: which model ids are Anthropic's, the body Bedrock expects (the client's Messages body
 * without {@code model} and {@code stream}, with {@code "anthropic_version": "bedrock-2023-05-31"} and the client's
 * {@code anthropic-beta} header list as the {@code anthropic_beta} field), the CountTokens envelope, and the
 * {@code chunk} events of InvokeModelWithResponseStream unwrapped into the Anthropic stream events they carry
 * (base64 in {@code bytes}). Pure: no I/O.
 */
final class BedrockAnthropic {

    private final String provider;
    private final ObjectMapper mapper;
    private final BedrockErrors errors;
    /** Reads numbers as written (0.70 stays 0.70): the body is re-encoded, and must say what the client said. */
    private final ObjectReader exact;
    /** The only betas carried when set ({@code options.anthropic-betas}); empty: every beta the client named. */
    private final Optional<Set<String>> allowedBetas;

    BedrockAnthropic(String provider, ObjectMapper mapper, BedrockErrors errors, Optional<Set<String>> allowedBetas) {
        this.provider = provider;
        this.mapper = mapper;
        this.errors = errors;
        this.allowedBetas = allowedBetas;
        this.exact = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true));
    }

    /**
     * Whether a Bedrock model id names one of Anthropic's models: {@code anthropic.claude-...}, a cross-region
     * inference profile ({@code us.anthropic.claude-...}, {@code global.anthropic...}), or the ARN of either. An
     * application inference profile's ARN names no model and is not recognised.
     */
    static boolean isAnthropic(String modelId) {
        return modelId != null && foundationModel(modelId).startsWith("anthropic.");
    }

    /**
     * The foundation model behind an id: the last path segment of an ARN, without a cross-region profile's
     * geography prefix ({@code us.}, {@code eu.}, {@code apac.}, {@code global.}...). CountTokens takes only these.
     */
    static String foundationModel(String modelId) {
        String id = modelId;
        if (id.startsWith("arn:")) {
            id = id.substring(id.lastIndexOf('/') + 1);
        }
        String lower = id.toLowerCase(Locale.ROOT);
        int dot = lower.indexOf('.');
        if (dot > 0 && lower.startsWith("anthropic.", dot + 1) && lower.substring(0, dot).matches("[a-z-]+")) {
            return id.substring(dot + 1);
        }
        return id;
    }

    /**
     * The InvokeModel body for a client's Messages request: {@code anthropic_version} first (always Bedrock's: the
     * client's {@code anthropic-version} header names a version of Anthropic's own API, which Bedrock refuses),
     * then {@code anthropic_beta} from the client's header (merged with a list the body already had; only the betas
     * of {@code options.anthropic-betas} when set), then every
     * other field of the client's body in its order, unchanged, without {@code model} and {@code stream}.
     *
     * @throws ApiException a 400 when the body is not a JSON object (the ingress already checked it is)
     */
    byte[] invokeBody(byte[] clientBody, Map<String, String> forwardHeaders) {
        return encode(invokeTree(clientBody, forwardHeaders));
    }

    /**
     * The CountTokens request for a client's count_tokens body: the InvokeModel body it would be, base64 in
     * {@code input.invokeModel.body}. Count_tokens needs no {@code max_tokens} but InvokeModel does: a missing one is
     * set to the least value Bedrock validates (above a thinking budget); it changes no input token.
     */
    byte[] countTokensBody(byte[] clientBody, Map<String, String> forwardHeaders) {
        ObjectNode invoke = invokeTree(clientBody, forwardHeaders);
        if (!invoke.has("max_tokens")) {
            JsonNode budget = invoke.path("thinking").path("budget_tokens");
            invoke.put("max_tokens", budget.canConvertToLong() ? budget.asLong() + 1 : 1);
        }
        ObjectNode request = mapper.createObjectNode();
        request.putObject("input").putObject("invokeModel").put("body",
                Base64.getEncoder().encodeToString(encode(invoke)));
        return encode(request);
    }

    /** CountTokens' answer ({@code {"inputTokens": n}}) in count_tokens' shape ({@code {"input_tokens": n}}). */
    ObjectNode countTokensAnswer(ObjectNode answer) {
        JsonNode tokens = answer.get("inputTokens");
        if (tokens == null || !tokens.canConvertToLong()) {
            throw UpstreamException.badResponse(provider, "CountTokens answered without inputTokens");
        }
        return mapper.createObjectNode().put("input_tokens", tokens.asLong());
    }

    private ObjectNode invokeTree(byte[] clientBody, Map<String, String> forwardHeaders) {
        JsonNode client;
        try {
            client = exact.readTree(clientBody);
        } catch (IOException e) {
            client = null;
        }
        if (client == null || !client.isObject()) {
            throw ApiException.invalidRequest("the request body must be a JSON object", null);
        }
        ObjectNode out = mapper.createObjectNode();
        out.put(BedrockWire.ANTHROPIC_VERSION_FIELD, BedrockWire.ANTHROPIC_VERSION);
        Set<String> betas = new LinkedHashSet<>();
        String header = forwardHeaders.get(BedrockWire.ANTHROPIC_BETA_HEADER);
        if (header != null) {
            for (String beta : header.split(",")) {
                if (!beta.isBlank()) {
                    betas.add(beta.trim());
                }
            }
        }
        for (JsonNode beta : client.path(BedrockWire.ANTHROPIC_BETA_FIELD)) {
            if (beta.isTextual()) {
                betas.add(beta.asText());
            }
        }
        allowedBetas.ifPresent(betas::retainAll);
        if (!betas.isEmpty()) {
            ArrayNode list = out.putArray(BedrockWire.ANTHROPIC_BETA_FIELD);
            betas.forEach(list::add);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = client.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            switch (field.getKey()) {
                case "model", "stream", BedrockWire.ANTHROPIC_VERSION_FIELD, BedrockWire.ANTHROPIC_BETA_FIELD -> {
                    // in the URL, in the operation, and set above
                }
                default -> out.set(field.getKey(), field.getValue());
            }
        }
        return out;
    }

    /**
     * The Anthropic stream events carried by InvokeModelWithResponseStream's frames, one event per {@code chunk},
     * its data the decoded bytes exactly as the model wrote them and its name the event's {@code type}. An
     * {@code exception} frame fails the stream with the mapped error; frames of other event types carry nothing.
     */
    Multi<SseEvent> events(Multi<Message> frames) {
        return frames.onItem().transformToIterable(frame -> {
            SseEvent event = event(frame);
            return event == null ? List.of() : List.of(event);
        });
    }

    /** One frame's Anthropic event, or null when it carries none. */
    SseEvent event(Message frame) {
        String messageType = EventStreamFrames.header(frame, BedrockWire.MESSAGE_TYPE, BedrockWire.EVENT);
        if (!BedrockWire.EVENT.equals(messageType)) {
            String type = EventStreamFrames.header(frame, BedrockWire.EXCEPTION_TYPE,
                    EventStreamFrames.header(frame, BedrockWire.ERROR_CODE, "InternalServerException"));
            throw errors.fromStream(type, frame.getPayload());
        }
        if (!BedrockWire.CHUNK.equals(EventStreamFrames.header(frame, BedrockWire.EVENT_TYPE, ""))) {
            return null;
        }
        byte[] data;
        try {
            JsonNode part = mapper.readTree(frame.getPayload());
            data = Base64.getDecoder().decode(part.path("bytes").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            throw UpstreamException.badResponse(provider, "a stream chunk is not base64 in JSON");
        }
        if (data.length == 0) {
            return null;
        }
        return new SseEvent(type(data), Buffer.buffer(data));
    }

    /** The top-level {@code type} of an event, read without building the tree (it comes first in Anthropic's). */
    private String type(byte[] json) {
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw UpstreamException.badResponse(provider, "a stream event is not JSON");
        }
    }

    private byte[] encode(JsonNode json) {
        try {
            return mapper.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a Bedrock request", e);
        }
    }
}
