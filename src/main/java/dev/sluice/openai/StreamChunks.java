package dev.sluice.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the {@code chat.completion.chunk}s of one translated stream, in OpenAI's exact shape, so that every
 * adapter gets the details clients depend on right in one place:
 * <ul>
 *   <li>the first chunk carries {@code role: "assistant"} (added to whatever delta comes first);</li>
 *   <li>every chunk repeats the stream's {@code id}, {@code created} and {@code model};</li>
 *   <li>a tool call's first delta carries its {@code index}, {@code id}, {@code type} and name, later deltas only
 *       the index and the next fragment of the arguments;</li>
 *   <li>the finish reason comes in a chunk of its own with an empty delta;</li>
 *   <li>usage comes last, in a chunk with an empty {@code choices} array, as OpenAI sends it for
 *       {@code stream_options.include_usage}.</li>
 * </ul>
 * Not thread-safe: one instance per stream.
 */
public final class StreamChunks {

    private final ObjectMapper mapper;
    private final JsonNodeFactory json;
    private AnswerIdentity identity;
    private boolean started;
    private final int choice;

    public StreamChunks(ObjectMapper mapper, String id, long created, String model) {
        this(mapper, id, created, model, 0);
    }

    /**
     * The chunks of one choice of a stream that carries several ({@code n > 1}): each choice has its own
     * instance, its chunks carry {@code index: choice}, and its first chunk carries the role, as OpenAI sends them.
     */
    public StreamChunks(ObjectMapper mapper, String id, long created, String model, int choice) {
        this.mapper = mapper;
        this.json = mapper.getNodeFactory();
        this.identity = new AnswerIdentity(id, created, model);
        this.choice = choice;
    }

    /** Sets the identity once the provider has told it (e.g. in its first event). */
    public void identify(String id, String model) {
        identity = identity.told(id, model);
    }

    /** Whether a chunk has been produced (and so the role sent). */
    public boolean started() {
        return started;
    }

    /** The opening chunk: {@code {"role": "assistant", "content": ""}}. */
    public ChatChunk start() {
        ObjectNode delta = json.objectNode();
        delta.put("content", "");
        return delta(delta);
    }

    public ChatChunk text(String fragment) {
        ObjectNode delta = json.objectNode();
        delta.put("content", fragment);
        return delta(delta);
    }

    /** Reasoning ("thinking") text, as {@code delta.reasoning_content}. */
    public ChatChunk reasoning(String fragment) {
        ObjectNode delta = json.objectNode();
        delta.put("reasoning_content", fragment);
        return delta(delta);
    }

    /** The first delta of a tool call; {@code arguments} may be empty. */
    public ChatChunk toolCallStart(int index, String callId, String name, String arguments) {
        ObjectNode delta = json.objectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.put("id", callId);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", arguments == null ? "" : arguments);
        return delta(delta);
    }

    /** The next fragment of a tool call's arguments. */
    public ChatChunk toolCallArguments(int index, String fragment) {
        ObjectNode delta = json.objectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", fragment);
        return delta(delta);
    }

    /** A delta with a field OpenAI does not define (e.g. {@code thinking_blocks}). */
    public ChatChunk field(String name, JsonNode value) {
        ObjectNode delta = json.objectNode();
        delta.set(name, value);
        return delta(delta);
    }

    /** Any delta; the role is added when it is the first chunk of the stream. */
    public ChatChunk delta(ObjectNode delta) {
        return ChatChunk.of(mapper, chunk(delta, null));
    }

    /** The chunk that ends the choice: an empty delta and the finish reason. */
    public ChatChunk finish(FinishReason reason) {
        return ChatChunk.of(mapper, chunk(json.objectNode(), reason));
    }

    /**
     * The usage chunk ({@code choices: []}). It is always produced so that the gateway records usage; when the
     * client did not ask for it ({@code stream_options.include_usage}) it is marked dropped and never sent.
     */
    public ChatChunk usage(TokenUsage usage, boolean visible) {
        ObjectNode chunk = header();
        chunk.putArray("choices");
        chunk.set("usage", usage.toJson(json));
        ChatChunk out = ChatChunk.of(mapper, chunk);
        if (!visible) {
            out.drop();
        }
        return out;
    }

    private ObjectNode chunk(ObjectNode delta, FinishReason finish) {
        if (!started) {
            started = true;
            ObjectNode withRole = json.objectNode();
            withRole.put("role", "assistant");
            withRole.setAll(delta);
            delta = withRole;
        }
        ObjectNode chunk = header();
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode c = choices.addObject();
        c.put("index", choice);
        c.set("delta", delta);
        c.putNull("logprobs");
        if (finish == null) {
            c.putNull("finish_reason");
        } else {
            c.put("finish_reason", finish.wire());
        }
        return chunk;
    }

    private ObjectNode header() {
        return identity.object(json, "chat.completion.chunk");
    }
}
