package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.sluice.api.responses.ResponsesWire.FUNCTION;
import static dev.sluice.api.responses.ResponsesWire.FUNCTION_CALL;
import static dev.sluice.api.responses.ResponsesWire.FUNCTION_CALL_OUTPUT;
import static dev.sluice.api.responses.ResponsesWire.INPUT_FILE;
import static dev.sluice.api.responses.ResponsesWire.INPUT_IMAGE;
import static dev.sluice.api.responses.ResponsesWire.INPUT_TEXT;
import static dev.sluice.api.responses.ResponsesWire.ITEM_REFERENCE;
import static dev.sluice.api.responses.ResponsesWire.MESSAGE;
import static dev.sluice.api.responses.ResponsesWire.NAMESPACE;
import static dev.sluice.api.responses.ResponsesWire.OUTPUT_TEXT;
import static dev.sluice.api.responses.ResponsesWire.REASONING;
import static dev.sluice.api.responses.ResponsesWire.REFUSAL;

/**
 * Translates a Responses API request into the chat-completions request every Sluice provider adapter speaks.
 * Pure: no I/O, no state beyond the call; the history of {@code previous_response_id} is handed in as items.
 *
 * <p>What maps: {@code instructions} → a system message first; {@code input} (a string, or items: messages with
 * {@code input_text}/{@code input_image}/{@code input_file} parts, {@code function_call} → an assistant
 * {@code tool_calls} entry, {@code function_call_output} → a tool message); function tools and the functions of
 * {@code namespace} tools (flattened, see {@link ToolNames}); {@code web_search} → {@code web_search_options}
 * where the provider has a search tool; {@code tool_choice}, {@code parallel_tool_calls}, {@code text.format}
 * → {@code response_format}, {@code reasoning.effort} → {@code reasoning_effort}, {@code max_output_tokens} →
 * {@code max_completion_tokens}, {@code temperature}, {@code top_p}, {@code top_logprobs}, {@code metadata},
 * {@code user} (or {@code safety_identifier}), {@code prompt_cache_key}, {@code service_tier}.
 *
 * <p>What is dropped, and named so the client can see it ({@code x-sluice-dropped}): built-in tools with no
 * equivalent upstream (file search, code interpreter, computer use, image generation, MCP, local shell...) and
 * reasoning items, whose opaque {@code encrypted_content} only OpenAI can read. Dropping rather than refusing is
 * deliberate: Codex sends a {@code web_search} tool on every request, and a 400 would lock it out.
 */
public final class RequestTranslator {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> WEB_SEARCH = Set.of("web_search", "web_search_preview",
            "web_search_2025_08_26", "web_search_preview_2025_03_11");

    /**
     * The translated request.
     *
     * @param chat    the chat-completions request
     * @param dropped what the upstream will not see (built-in tools, reasoning items), for {@code x-sluice-dropped}
     * @param names   how namespaced functions were named upstream
     */
    public record Translation(ObjectNode chat, List<String> dropped, ToolNames names) {
    }

    /** What the upstream can do that changes the translation. */
    public record Capabilities(boolean webSearch) {
    }

    private RequestTranslator() {
    }

    /**
     * @param request the Responses request (validated by {@link ResponsesRequest#check})
     * @param history the items of the previous responses, oldest first (their input, then their output)
     */
    public static Translation toChat(ObjectNode request, List<JsonNode> history, Capabilities capabilities) {
        ToolNames names = new ToolNames();
        Set<String> dropped = new LinkedHashSet<>();
        ObjectNode chat = JSON.objectNode();
        chat.put("model", request.path("model").asText());

        // tools first: their namespaces decide how calls in the history are named
        ArrayNode tools = tools(request.path("tools"), names, dropped, chat, capabilities);

        ArrayNode messages = chat.putArray("messages");
        JsonNode instructions = request.get("instructions");
        if (instructions != null && instructions.isTextual() && !instructions.asText().isEmpty()) {
            messages.addObject().put("role", "system").put("content", instructions.asText());
        }
        Messages out = new Messages(messages, names, dropped);
        for (JsonNode item : history) {
            out.add(item, "previous_response_id");
        }
        JsonNode input = request.get("input");
        if (input != null && input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
        } else if (input != null && input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                out.add(input.get(i), "input[" + i + "]");
            }
        }
        if (messages.isEmpty()) {
            throw ApiException.invalidRequest("'input' is required: a string or an array of input items", "input");
        }

        if (!tools.isEmpty()) {
            chat.set("tools", tools);
            JsonNode choice = toolChoice(request.get("tool_choice"), names);
            if (choice != null) {
                chat.set("tool_choice", choice);
            }
            copy(request, "parallel_tool_calls", chat, "parallel_tool_calls");
        }
        JsonNode format = request.path("text").path("format");
        switch (format.path("type").asText("text")) {
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode rf = chat.putObject("response_format");
                rf.put("type", "json_schema");
                ObjectNode schema = rf.putObject("json_schema");
                schema.put("name", format.path("name").asText("response"));
                copy(format, "description", schema, "description");
                copy(format, "schema", schema, "schema");
                copy(format, "strict", schema, "strict");
            }
            default -> {
                // plain text: the chat default
            }
        }
        JsonNode effort = request.path("reasoning").path("effort");
        if (effort.isTextual()) {
            chat.put("reasoning_effort", effort.asText());
        }
        copy(request, "max_output_tokens", chat, "max_completion_tokens");
        copy(request, "temperature", chat, "temperature");
        copy(request, "top_p", chat, "top_p");
        if (request.path("top_logprobs").isInt()) {
            chat.put("logprobs", true);
            copy(request, "top_logprobs", chat, "top_logprobs");
        }
        copy(request, "metadata", chat, "metadata");
        copy(request, "prompt_cache_key", chat, "prompt_cache_key");
        copy(request, "service_tier", chat, "service_tier");
        if (request.path("user").isTextual()) {
            chat.put("user", request.get("user").asText());
        } else if (request.path("safety_identifier").isTextual()) {
            chat.put("user", request.get("safety_identifier").asText());
        }
        if (request.path("stream").asBoolean(false)) {
            chat.put("stream", true);
            // usage is part of every Response, so the upstream is always asked for it
            chat.putObject("stream_options").put("include_usage", true);
        }
        return new Translation(chat, List.copyOf(dropped), names);
    }

    private static ArrayNode tools(JsonNode declared, ToolNames names, Set<String> dropped, ObjectNode chat,
                                   Capabilities capabilities) {
        ArrayNode out = JSON.arrayNode();
        if (!declared.isArray()) {
            return out;
        }
        for (JsonNode tool : declared) {
            String type = tool.path("type").asText();
            if (FUNCTION.equals(type)) {
                out.add(function(tool, null, names));
            } else if (NAMESPACE.equals(type)) {
                String namespace = tool.path("name").asText();
                for (JsonNode inner : tool.path("tools")) {
                    if (FUNCTION.equals(inner.path("type").asText())) {
                        out.add(function(inner, namespace, names));
                    } else {
                        dropped.add("tools." + namespace + "." + inner.path("type").asText());
                    }
                }
            } else if (WEB_SEARCH.contains(type) && capabilities.webSearch()) {
                ObjectNode options = chat.putObject("web_search_options");
                copy(tool, "search_context_size", options, "search_context_size");
                if (tool.get("user_location") instanceof ObjectNode location) {
                    ObjectNode approximate = location.deepCopy();
                    approximate.remove("type");
                    options.putObject("user_location").put("type", "approximate").set("approximate", approximate);
                }
            } else {
                dropped.add("tools." + type);
            }
        }
        return out;
    }

    private static ObjectNode function(JsonNode tool, String namespace, ToolNames names) {
        ObjectNode out = JSON.objectNode();
        out.put("type", FUNCTION);
        ObjectNode f = out.putObject(FUNCTION);
        f.put("name", names.flatten(namespace, tool.path("name").asText()));
        copy(tool, "description", f, "description");
        f.set("parameters", tool.hasNonNull("parameters") ? tool.get("parameters")
                : JSON.objectNode().put("type", "object").set("properties", JSON.objectNode()));
        copy(tool, "strict", f, "strict");
        return out;
    }

    private static JsonNode toolChoice(JsonNode choice, ToolNames names) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return choice;
        }
        String type = choice.path("type").asText();
        if (FUNCTION.equals(type)) {
            ObjectNode out = JSON.objectNode().put("type", FUNCTION);
            out.putObject(FUNCTION).put("name", names.flatten(choice.path("namespace").asText(null),
                    choice.path("name").asText()));
            return out;
        }
        if ("allowed_tools".equals(type)) {
            return JSON.textNode("required".equals(choice.path("mode").asText()) ? "required" : "auto");
        }
        // a built-in tool forced: the closest is letting the model choose
        return JSON.textNode("auto");
    }

    /** Builds chat messages from Responses items, merging calls into the assistant message they follow. */
    private static final class Messages {
        private final ArrayNode messages;
        private final ToolNames names;
        private final Set<String> dropped;

        Messages(ArrayNode messages, ToolNames names, Set<String> dropped) {
            this.messages = messages;
            this.names = names;
            this.dropped = dropped;
        }

        void add(JsonNode item, String param) {
            if (!item.isObject()) {
                throw ApiException.invalidRequest("Invalid '" + param + "': each input item must be an object", param);
            }
            String type = item.path("type").asText(item.has("role") ? MESSAGE : "");
            switch (type) {
                case MESSAGE -> message(item, param);
                case FUNCTION_CALL -> call(item, param);
                case FUNCTION_CALL_OUTPUT -> output(item, param);
                case REASONING -> dropped.add("input.reasoning");
                case ITEM_REFERENCE -> throw ApiException.invalidRequest("Invalid '" + param + "': item references "
                        + "are not supported by this provider; send the item itself", param, "unsupported_parameter");
                default -> throw ApiException.invalidRequest("Invalid '" + param + "': input items of type '" + type
                        + "' are not supported by this provider", param + ".type", "unsupported_parameter");
            }
        }

        private void message(JsonNode item, String param) {
            String role = item.path("role").asText();
            if (!Set.of("user", "assistant", "system", "developer").contains(role)) {
                throw ApiException.invalidRequest("Invalid '" + param + ".role': must be one of user, assistant, "
                        + "system, developer", param + ".role");
            }
            JsonNode content = item.get("content");
            if ("assistant".equals(role)) {
                StringBuilder text = new StringBuilder();
                String refusal = null;
                if (content != null && content.isTextual()) {
                    text.append(content.asText());
                } else if (content != null && content.isArray()) {
                    for (JsonNode part : content) {
                        String t = part.path("type").asText();
                        if (OUTPUT_TEXT.equals(t) || INPUT_TEXT.equals(t)) {
                            text.append(part.path("text").asText());
                        } else if (REFUSAL.equals(t)) {
                            refusal = part.path("refusal").asText();
                        }
                    }
                }
                ObjectNode m = messages.addObject().put("role", "assistant");
                if (refusal != null && text.isEmpty()) {
                    m.put("refusal", refusal);
                    m.put("content", refusal);
                } else {
                    m.put("content", text.toString());
                }
                return;
            }
            ObjectNode m = messages.addObject().put("role", role);
            if (content != null && content.isTextual()) {
                m.put("content", content.asText());
            } else if (content != null && content.isArray()) {
                ArrayNode parts = m.putArray("content");
                for (int j = 0; j < content.size(); j++) {
                    parts.add(part(content.get(j), param + ".content[" + j + "]"));
                }
            } else {
                throw ApiException.invalidRequest("Invalid '" + param + ".content': expected a string or an array of "
                        + "content parts", param + ".content");
            }
        }

        private static ObjectNode part(JsonNode part, String param) {
            String type = part.path("type").asText();
            ObjectNode out = JSON.objectNode();
            switch (type) {
                case INPUT_TEXT, OUTPUT_TEXT -> out.put("type", "text").put("text", part.path("text").asText());
                case INPUT_IMAGE -> {
                    String url = part.path("image_url").asText(null);
                    if (url == null) {
                        throw ApiException.invalidRequest("Invalid '" + param + "': only images given by 'image_url' "
                                + "(an https or data URL) are supported; file ids are not", param + ".image_url",
                                "unsupported_parameter");
                    }
                    ObjectNode image = out.put("type", "image_url").putObject("image_url").put("url", url);
                    copy(part, "detail", image, "detail");
                }
                case INPUT_FILE -> {
                    ObjectNode file = out.put("type", "file").putObject("file");
                    copy(part, "file_data", file, "file_data");
                    copy(part, "file_id", file, "file_id");
                    copy(part, "filename", file, "filename");
                    if (!file.has("file_data") && !file.has("file_id")) {
                        throw ApiException.invalidRequest("Invalid '" + param + "': an input_file needs 'file_data' "
                                + "or 'file_id'", param);
                    }
                }
                default -> throw ApiException.invalidRequest("Invalid '" + param + ".type': content parts of type '"
                        + type + "' are not supported", param + ".type", "unsupported_parameter");
            }
            return out;
        }

        private void call(JsonNode item, String param) {
            String callId = item.path("call_id").asText(null);
            if (callId == null) {
                throw ApiException.invalidRequest("Invalid '" + param + ".call_id': a function_call needs its call_id",
                        param + ".call_id");
            }
            ObjectNode last = messages.isEmpty() ? null : (ObjectNode) messages.get(messages.size() - 1);
            ObjectNode assistant;
            if (last != null && "assistant".equals(last.path("role").asText())) {
                assistant = last;
            } else {
                assistant = messages.addObject().put("role", "assistant");
                assistant.putNull("content");
            }
            ArrayNode calls = assistant.has("tool_calls") ? (ArrayNode) assistant.get("tool_calls")
                    : assistant.putArray("tool_calls");
            ObjectNode call = calls.addObject().put("id", callId).put("type", FUNCTION);
            call.putObject(FUNCTION)
                    .put("name", names.flatten(item.path("namespace").asText(null), item.path("name").asText()))
                    .put("arguments", item.path("arguments").asText("{}"));
        }

        private void output(JsonNode item, String param) {
            String callId = item.path("call_id").asText(null);
            if (callId == null) {
                throw ApiException.invalidRequest("Invalid '" + param + ".call_id': a function_call_output needs the "
                        + "call_id of the call it answers", param + ".call_id");
            }
            JsonNode output = item.get("output");
            String text;
            if (output != null && output.isTextual()) {
                text = output.asText();
            } else if (output != null && output.isArray()) {
                List<String> texts = new ArrayList<>();
                for (JsonNode part : output) {
                    if (part.has("text")) {
                        texts.add(part.path("text").asText());
                    }
                }
                text = String.join("\n", texts);
            } else {
                text = output == null || output.isNull() ? "" : output.toString();
            }
            messages.addObject().put("role", "tool").put("tool_call_id", callId).put("content", text);
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(as, v);
        }
    }
}
