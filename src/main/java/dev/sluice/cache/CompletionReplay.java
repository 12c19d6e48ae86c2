package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.CompletionChunks;

import java.util.ArrayList;
import java.util.List;

/**
 * A stored {@code chat.completion} replayed as the stream an upstream would have sent: per choice a chunk with the
 * role, the reasoning, refusal and content text in pieces of a few words, one chunk per tool call, a chunk with
 * the finish reason; then one usage chunk ({@code choices: []}) when the completion has usage. A client reading
 * deltas sees what it would have seen live, only faster.
 */
public final class CompletionReplay {

    /** About how many characters each text chunk carries (cut after whitespace, so words stay whole). */
    static final int PIECE = 24;
    private static final List<String> TEXT_FIELDS = List.of("reasoning_content", "refusal", "content");

    private CompletionReplay() {
    }

    public static List<ObjectNode> chunks(ObjectNode completion, ObjectMapper mapper) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode choice : completion.path("choices")) {
            int index = choice.path("index").asInt(0);
            JsonNode message = choice.path("message");
            ObjectNode role = mapper.createObjectNode();
            role.put("role", message.path("role").asText("assistant"));
            role.put("content", "");
            out.add(chunk(completion, index, role, null, mapper));
            for (String field : TEXT_FIELDS) {
                JsonNode text = message.get(field);
                if (text != null && text.isTextual()) {
                    for (String piece : pieces(text.asText())) {
                        ObjectNode delta = mapper.createObjectNode();
                        delta.put(field, piece);
                        out.add(chunk(completion, index, delta, null, mapper));
                    }
                }
            }
            JsonNode calls = message.get("tool_calls");
            if (calls instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    ObjectNode call = array.get(i).deepCopy();
                    call.put("index", i);
                    ObjectNode delta = mapper.createObjectNode();
                    delta.putArray("tool_calls").add(call);
                    out.add(chunk(completion, index, delta, null, mapper));
                }
            }
            out.add(chunk(completion, index, mapper.createObjectNode(), choice.path("finish_reason").asText("stop"),
                    mapper));
        }
        if (completion.get("usage") instanceof ObjectNode usage) {
            ObjectNode last = chunk(completion, -1, null, null, mapper);
            last.set("usage", usage.deepCopy());
            out.add(last);
        }
        return out;
    }

    /** Text cut into pieces of about {@link #PIECE} characters, each ending after whitespace where there is some. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + PIECE);
            while (end < text.length() && !Character.isWhitespace(text.charAt(end - 1)) && end - start < 4 * PIECE) {
                end++;
            }
            // never split a surrogate pair across two chunks
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    /** A replayed chunk: the stream's own shape, with the completion's system fingerprint, as a live one has it. */
    private static ObjectNode chunk(ObjectNode completion, int index, ObjectNode delta, String finish,
                                    ObjectMapper mapper) {
        ObjectNode chunk = CompletionChunks.chunk(completion, index, delta, finish, mapper);
        if (completion.hasNonNull("system_fingerprint")) {
            chunk.set("system_fingerprint", completion.get("system_fingerprint"));
        }
        return chunk;
    }
}
