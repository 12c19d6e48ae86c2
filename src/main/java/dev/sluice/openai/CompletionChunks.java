package dev.sluice.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays a whole {@code chat.completion} as the chunks a stream would have carried, for upstreams that answer a
 * streaming request with a single JSON body: per choice, one chunk with the role and message, then one with the
 * finish reason; usage last. Translating adapters use it too when a provider answers a stream request with a
 * whole document.
 */
public final class CompletionChunks {

    private CompletionChunks() {
    }

    public static List<ChatChunk> of(ObjectNode completion, ObjectMapper mapper) {
        List<ChatChunk> out = new ArrayList<>();
        for (JsonNode choice : completion.path("choices")) {
            ObjectNode delta = mapper.createObjectNode();
            JsonNode message = choice.path("message");
            delta.put("role", message.path("role").asText("assistant"));
            message.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("role")) {
                    delta.set(f.getKey(), f.getValue());
                }
            });
            JsonNode toolCalls = delta.path("tool_calls");
            if (toolCalls.isArray()) {
                for (int i = 0; i < toolCalls.size(); i++) {
                    ((ObjectNode) toolCalls.get(i)).put("index", i);
                }
            }
            out.add(ChatChunk.of(mapper, chunk(completion, choice.path("index").asInt(0), delta, null, mapper)));
            out.add(ChatChunk.of(mapper, chunk(completion, choice.path("index").asInt(0), mapper.createObjectNode(),
                    choice.path("finish_reason").asText("stop"), mapper)));
        }
        if (completion.hasNonNull("usage")) {
            ObjectNode usage = chunk(completion, -1, null, null, mapper);
            usage.set("usage", completion.get("usage"));
            out.add(ChatChunk.of(mapper, usage));
        }
        return out;
    }

    /**
     * One {@code chat.completion.chunk} of the stream a completion would have carried: its id, created and model, and
     * unless {@code index} is negative (the usage chunk) one choice with the delta and the finish reason (null: not
     * finished).
     */
    public static ObjectNode chunk(ObjectNode completion, int index, ObjectNode delta, String finish,
                                   ObjectMapper mapper) {
        ObjectNode chunk = mapper.createObjectNode();
        chunk.put("id", completion.path("id").asText(""));
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", completion.path("created").asLong(0));
        chunk.put("model", completion.path("model").asText(""));
        var choices = chunk.putArray("choices");
        if (index >= 0) {
            ObjectNode choice = choices.addObject();
            choice.put("index", index);
            choice.set("delta", delta);
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
        }
        return chunk;
    }
}
