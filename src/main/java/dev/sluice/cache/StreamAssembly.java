package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the whole {@code chat.completion} a stream amounted to, chunk by chunk, so that a streamed answer can be
 * stored once and served later to a streaming or a non-streaming request alike. Text deltas are concatenated, tool
 * calls gathered by index (id, name and argument fragments), the finish reason kept per choice.
 */
public final class StreamAssembly {

    private final ObjectMapper mapper;
    private final Map<Integer, Choice> choices = new TreeMap<>();
    private String id;
    private long created;
    private String model;
    private JsonNode fingerprint;

    private static final class Choice {
        String role;
        final StringBuilder content = new StringBuilder();
        boolean hasContent;
        final StringBuilder reasoning = new StringBuilder();
        final StringBuilder refusal = new StringBuilder();
        final Map<Integer, ToolCall> calls = new TreeMap<>();
        String finish;
    }

    private static final class ToolCall {
        String id;
        String type;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    public StreamAssembly(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void add(ObjectNode chunk) {
        if (id == null && chunk.hasNonNull("id")) {
            id = chunk.get("id").asText();
            created = chunk.path("created").asLong(0);
            model = chunk.path("model").asText(null);
        }
        if (fingerprint == null && chunk.hasNonNull("system_fingerprint")) {
            fingerprint = chunk.get("system_fingerprint");
        }
        for (JsonNode c : chunk.path("choices")) {
            Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Choice());
            JsonNode delta = c.path("delta");
            if (delta.hasNonNull("role")) {
                choice.role = delta.get("role").asText();
            }
            JsonNode text = delta.get("content");
            if (text != null && text.isTextual()) {
                choice.content.append(text.asText());
                choice.hasContent = true;
            }
            append(choice.reasoning, delta.get("reasoning_content"));
            append(choice.refusal, delta.get("refusal"));
            for (JsonNode call : delta.path("tool_calls")) {
                ToolCall t = choice.calls.computeIfAbsent(call.path("index").asInt(0), i -> new ToolCall());
                if (call.hasNonNull("id")) {
                    t.id = call.get("id").asText();
                }
                if (call.hasNonNull("type")) {
                    t.type = call.get("type").asText();
                }
                JsonNode function = call.path("function");
                if (function.hasNonNull("name")) {
                    t.name = function.get("name").asText();
                }
                append(t.arguments, function.get("arguments"));
            }
            if (c.hasNonNull("finish_reason")) {
                choice.finish = c.get("finish_reason").asText();
            }
        }
    }

    private static void append(StringBuilder to, JsonNode text) {
        if (text != null && text.isTextual()) {
            to.append(text.asText());
        }
    }

    /** The completion, or null when the stream did not finish every choice it started (or started none). */
    public ObjectNode completion(ObjectNode usage) {
        if (choices.isEmpty() || choices.values().stream().anyMatch(c -> c.finish == null)) {
            return null;
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("id", id == null ? "" : id);
        out.put("object", "chat.completion");
        out.put("created", created);
        out.put("model", model == null ? "" : model);
        if (fingerprint != null) {
            out.set("system_fingerprint", fingerprint);
        }
        ArrayNode list = out.putArray("choices");
        for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
            Choice c = e.getValue();
            ObjectNode choice = list.addObject();
            choice.put("index", e.getKey());
            ObjectNode message = choice.putObject("message");
            message.put("role", c.role == null ? "assistant" : c.role);
            if (c.hasContent && (c.content.length() > 0 || c.calls.isEmpty())) {
                message.put("content", c.content.toString());
            } else {
                message.putNull("content");
            }
            if (c.reasoning.length() > 0) {
                message.put("reasoning_content", c.reasoning.toString());
            }
            if (c.refusal.length() > 0) {
                message.put("refusal", c.refusal.toString());
            }
            if (!c.calls.isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCall t : c.calls.values()) {
                    ObjectNode call = calls.addObject();
                    call.put("id", t.id);
                    call.put("type", t.type == null ? "function" : t.type);
                    ObjectNode function = call.putObject("function");
                    function.put("name", t.name);
                    function.put("arguments", t.arguments.toString());
                }
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", c.finish);
        }
        if (usage != null) {
            out.set("usage", usage);
        }
        return out;
    }
}
