package dev.sluice.provider;

import dev.sluice.openai.ChatChunk;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ChatCompletionRequest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The other ways an OpenAI request can describe tools, brought to the one form the translating adapters
 * (Anthropic, Gemini, Bedrock) read, and their answers brought back to the form the client used. OpenAI-compatible
 * upstreams (OpenAI, Azure, ...) receive the client's request unchanged and never go through here.
 *
 * <ul>
 *   <li>the deprecated {@code functions} → {@code tools}, {@code function_call} ({@code none}, {@code auto},
 *       {@code {"name": ...}}) → {@code tool_choice}; as OpenAI's functions API makes at most one call per turn,
 *       {@code parallel_tool_calls} is set to false;</li>
 *   <li>an assistant message's {@code function_call} → a tool call with an id Sluice makes ({@code call_fn_<n>},
 *       {@code n} the message's index), and the {@code function} message that answers it (matched by name, most
 *       recent unanswered call first) → a {@code tool} message with that id;</li>
 *   <li>{@code tool_choice: {"type": "allowed_tools", ...}} → only the allowed function tools offered, with
 *       {@code tool_choice} {@code auto} or {@code required} as its mode says.</li>
 * </ul>
 *
 * When the request used {@code functions}, the answer comes back in the functions API's form: the model's call as
 * {@code message.function_call} (the first call, should a model make several) and {@code finish_reason}
 * {@code function_call}; in a stream, the call's deltas as {@code delta.function_call}.
 */
public final class ToolForms {

    /** Where the ids of calls made through the functions API start; Gemini's adapter never sends such ids on. */
    public static final String LEGACY_CALL_PREFIX = "call_fn_";

    private final ChatBody request;
    private final boolean legacyAnswer;

    private ToolForms(ChatBody request, boolean legacyAnswer) {
        this.request = request;
        this.legacyAnswer = legacyAnswer;
    }

    /**
     * The request as the adapters read it. Nothing is copied when the client used none of the other forms; else
     * a rewritten copy (the client's body stays as it was, for retries and fallbacks to other providers).
     */
    public static ToolForms of(ChatBody body, ObjectMapper mapper) {
        ObjectNode tree = body.body();
        boolean functions = tree.hasNonNull("functions") || tree.hasNonNull("function_call");
        boolean allowedTools = "allowed_tools".equals(tree.path("tool_choice").path("type").asText());
        boolean legacyMessages = false;
        for (JsonNode m : tree.path("messages")) {
            legacyMessages |= "function".equals(m.path("role").asText()) || m.hasNonNull("function_call");
        }
        if (!functions && !allowedTools && !legacyMessages) {
            return new ToolForms(body, false);
        }
        ObjectNode copy = tree.deepCopy();
        if (functions) {
            functions(copy);
        }
        if (legacyMessages) {
            messages((ArrayNode) copy.get("messages"));
        }
        if (allowedTools) {
            allowedTools(copy);
        }
        ChatBody rewritten = new ChatBody(null, copy, null, t -> view(t, mapper));
        return new ToolForms(rewritten, tree.hasNonNull("functions"));
    }

    private static ChatCompletionRequest view(ObjectNode tree, ObjectMapper mapper) {
        try {
            return mapper.treeToValue(tree, ChatCompletionRequest.class);
        } catch (JsonProcessingException e) {
            // the tree was validated before the rewrite, which only moves well-formed values
            throw new IllegalStateException("a rewritten request no longer binds", e);
        }
    }

    /** The request in the form the adapters translate. */
    public ChatBody request() {
        return request;
    }

    // ---- request ----------------------------------------------------------------------------------------------

    private static void functions(ObjectNode tree) {
        JsonNode functions = tree.remove("functions");
        JsonNode call = tree.remove("function_call");
        if (functions != null && !functions.isNull()) {
            if (!functions.isArray()) {
                throw ApiException.invalidRequest("Invalid 'functions': expected an array of function definitions",
                        "functions");
            }
            if (tree.path("tools").isArray() && !tree.path("tools").isEmpty() && !functions.isEmpty()) {
                throw ApiException.invalidRequest("'functions' and 'tools' cannot be combined: send the functions "
                        + "as tools (functions is deprecated)", "functions");
            }
            ArrayNode tools = tree.putArray("tools");
            for (int i = 0; i < functions.size(); i++) {
                JsonNode f = functions.get(i);
                if (!f.isObject() || !f.path("name").isTextual()) {
                    throw ApiException.invalidRequest("Invalid 'functions[" + i + "].name': expected a string",
                            "functions[" + i + "].name");
                }
                ObjectNode tool = tools.addObject();
                tool.put("type", "function");
                tool.set("function", f);
            }
            if (!tree.has("parallel_tool_calls")) {
                tree.put("parallel_tool_calls", false);
            }
        }
        if (call != null && !call.isNull()) {
            if (tree.hasNonNull("tool_choice")) {
                throw ApiException.invalidRequest("'function_call' and 'tool_choice' cannot be combined: send "
                        + "tool_choice (function_call is deprecated)", "function_call");
            }
            if (call.isTextual() && ("none".equals(call.asText()) || "auto".equals(call.asText()))) {
                tree.put("tool_choice", call.asText());
            } else if (call.isObject() && call.path("name").isTextual()) {
                ObjectNode choice = tree.putObject("tool_choice");
                choice.put("type", "function");
                choice.putObject("function").put("name", call.get("name").asText());
            } else {
                throw ApiException.invalidRequest("Invalid 'function_call': expected \"none\", \"auto\" or "
                        + "{\"name\": ...}", "function_call");
            }
        }
    }

    /** A made call waiting for its {@code function} message. */
    private record Pending(String name, String id) {
    }

    private static void messages(ArrayNode messages) {
        Deque<Pending> open = new ArrayDeque<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof ObjectNode m)) {
                continue;
            }
            String role = m.path("role").asText();
            JsonNode call = m.remove("function_call");
            if ("assistant".equals(role) && call != null && !call.isNull()) {
                if (!call.path("name").isTextual()) {
                    throw ApiException.invalidRequest("Invalid 'messages[" + i + "].function_call.name': expected "
                            + "a string", "messages[" + i + "].function_call.name");
                }
                String id = LEGACY_CALL_PREFIX + i;
                ArrayNode calls = m.has("tool_calls") && m.get("tool_calls").isArray()
                        ? (ArrayNode) m.get("tool_calls") : m.putArray("tool_calls");
                ObjectNode toolCall = calls.addObject();
                toolCall.put("id", id);
                toolCall.put("type", "function");
                ObjectNode function = toolCall.putObject("function");
                function.put("name", call.get("name").asText());
                function.put("arguments", call.path("arguments").isTextual() ? call.get("arguments").asText() : "{}");
                open.push(new Pending(call.get("name").asText(), id));
            } else if ("function".equals(role)) {
                String name = m.path("name").asText("");
                Pending answered = null;
                for (Iterator<Pending> it = open.iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    if (p.name().equals(name)) {
                        answered = p;
                        it.remove();
                        break;
                    }
                }
                if (answered == null) {
                    throw ApiException.invalidRequest("Invalid 'messages[" + i + "]': a 'function' message must answer "
                            + "an earlier assistant function_call of the same name ('" + name + "')",
                            "messages[" + i + "].name");
                }
                m.put("role", "tool");
                m.put("tool_call_id", answered.id());
            }
        }
    }

    private static void allowedTools(ObjectNode tree) {
        JsonNode allowed = tree.path("tool_choice").path("allowed_tools");
        String mode = allowed.path("mode").asText("");
        if (!"auto".equals(mode) && !"required".equals(mode)) {
            throw ApiException.invalidRequest("Invalid 'tool_choice.allowed_tools.mode': expected auto or required",
                    "tool_choice.allowed_tools.mode");
        }
        Set<String> names = new HashSet<>();
        for (JsonNode t : allowed.path("tools")) {
            if ("function".equals(t.path("type").asText()) && t.path("function").path("name").isTextual()) {
                names.add(t.path("function").path("name").asText());
            } else {
                throw ApiException.invalidRequest("Invalid 'tool_choice.allowed_tools.tools': expected function "
                        + "tools named as {\"type\": \"function\", \"function\": {\"name\": ...}}",
                        "tool_choice.allowed_tools.tools");
            }
        }
        ArrayNode kept = tree.arrayNode();
        for (JsonNode t : tree.path("tools")) {
            if (names.contains(t.path("function").path("name").asText())) {
                kept.add(t);
            }
        }
        tree.set("tools", kept);
        tree.put("tool_choice", kept.isEmpty() ? "none" : mode);
    }

    // ---- answer -----------------------------------------------------------------------------------------------

    /** The completion in the form the client's request used. */
    public ObjectNode completion(ObjectNode completion) {
        if (!legacyAnswer) {
            return completion;
        }
        for (JsonNode choice : completion.path("choices")) {
            ObjectNode message = (ObjectNode) choice.path("message");
            JsonNode calls = message.remove("tool_calls");
            if (calls != null && calls.isArray() && !calls.isEmpty()) {
                JsonNode first = calls.get(0).path("function");
                ObjectNode call = message.putObject("function_call");
                call.put("name", first.path("name").asText(""));
                call.put("arguments", first.path("arguments").asText(""));
            }
            if ("tool_calls".equals(choice.path("finish_reason").asText())) {
                ((ObjectNode) choice).put("finish_reason", "function_call");
            }
        }
        return completion;
    }

    /** The stream in the form the client's request used. */
    public ChatStream stream(ChatStream stream) {
        if (!legacyAnswer) {
            return stream;
        }
        return stream.withChunks(stream.chunks().invoke(this::chunk));
    }

    private void chunk(ChatChunk chunk) {
        JsonNode choices = chunk.json().path("choices");
        boolean changes = false;
        for (JsonNode c : choices) {
            changes |= c.path("delta").has("tool_calls") || "tool_calls".equals(c.path("finish_reason").asText());
        }
        if (!changes) {
            return;
        }
        boolean empty = true;
        for (JsonNode c : chunk.edit().path("choices")) {
            ObjectNode choice = (ObjectNode) c;
            ObjectNode delta = (ObjectNode) choice.path("delta");
            JsonNode calls = delta.remove("tool_calls");
            if (calls != null) {
                for (JsonNode call : calls) {
                    if (call.path("index").asInt(0) == 0) {
                        ObjectNode fc = delta.putObject("function_call");
                        JsonNode function = call.path("function");
                        if (function.has("name")) {
                            fc.set("name", function.get("name"));
                        }
                        fc.put("arguments", function.path("arguments").asText(""));
                    }
                }
            }
            if ("tool_calls".equals(choice.path("finish_reason").asText())) {
                choice.put("finish_reason", "function_call");
            }
            empty &= delta.isEmpty() && choice.path("finish_reason").isNull();
        }
        if (empty && !chunk.json().hasNonNull("usage")) {
            // the delta only carried a second call, which the functions API cannot express
            chunk.drop();
        }
    }
}
