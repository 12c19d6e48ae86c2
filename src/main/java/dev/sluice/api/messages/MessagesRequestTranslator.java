package dev.sluice.api.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

import static dev.sluice.anthropic.AnthropicWire.DOCUMENT;
import static dev.sluice.anthropic.AnthropicWire.IMAGE;
import static dev.sluice.anthropic.AnthropicWire.REDACTED_THINKING;
import static dev.sluice.anthropic.AnthropicWire.TEXT;
import static dev.sluice.anthropic.AnthropicWire.THINKING;
import static dev.sluice.anthropic.AnthropicWire.TOOL_RESULT;
import static dev.sluice.anthropic.AnthropicWire.TOOL_USE;

/**
 * Translates an Anthropic Messages request into the OpenAI chat-completions request the pipeline speaks. Pure: no
 * I/O, no state; the table below is the one docs/messages.md documents.
 *
 * <ul>
 *   <li>{@code system} (a string or text blocks) and every {@code role: "system"} message inside {@code messages}
 *       (Claude Code sends one) become one leading system message, in order;</li>
 *   <li>user text, image (base64 or URL) and document blocks (base64 PDF, plain text) become content parts;
 *       {@code tool_result} blocks become {@code tool} messages with their {@code tool_use_id} (placed before the
 *       rest of the user turn, as OpenAI wants them right after the assistant's calls; an error result is marked
 *       {@code Error:}; images a tool returned follow in a user message);</li>
 *   <li>assistant text becomes the content and {@code tool_use} blocks tool calls (ids kept, input as JSON
 *       arguments);</li>
 *   <li>tools become function tools ({@code input_schema} as parameters; {@code defer_loading} tools are sent as
 *       ordinary tools); {@code tool_choice} auto/any/tool/none and {@code disable_parallel_tool_use};</li>
 *   <li>{@code max_tokens}, {@code stop_sequences}, {@code temperature}, {@code top_p}, {@code top_k},
 *       {@code metadata.user_id} (as {@code user}), {@code thinking} with a budget (as {@code reasoning_effort}),
 *       {@code output_config.format} (as {@code response_format}), {@code stream} (usage always asked for).</li>
 * </ul>
 * What has no equivalent and does not change the answer is left out and named ({@link Translation#dropped()}):
 * {@code cache_control}, {@code defer_loading}, adaptive thinking, {@code output_config.effort},
 * {@code context_management}, {@code service_tier}, the thinking of earlier turns, unknown fields. What would change
 * the answer and cannot be expressed (server tools, MCP servers, documents by URL or file id, unknown block types)
 * makes {@link Translation#untranslatable()}: a 400 for any attempt that must translate; a request passed through to
 * an Anthropic upstream is unaffected.
 */
final class MessagesRequestTranslator {

    /**
     * A translated request.
     *
     * @param chat           the OpenAI chat-completions body
     * @param dropped        what was left out, by field or block name
     * @param untranslatable the first thing that cannot be translated, as a 400; null when everything can
     */
    record Translation(ObjectNode chat, List<String> dropped, ApiException untranslatable) {
    }

    /** Top-level fields this translation reads (or knowingly drops). */
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "system", "stop_sequences",
            "stream", "temperature", "top_p", "top_k", "metadata", "tools", "tool_choice", "thinking",
            "output_config", "context_management", "service_tier", "container", "mcp_servers", "web_extract");
    /** Tool types that are ordinary client tools; every other type is a server tool Anthropic runs itself. */
    private static final Set<String> CLIENT_TOOL_TYPES = Set.of("custom");
    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private final JsonNodeFactory json;
    private final Set<String> dropped = new LinkedHashSet<>();
    private ApiException untranslatable;

    private MessagesRequestTranslator(JsonNodeFactory json) {
        this.json = json;
    }

    /**
     * Checks a Messages request's shape (a 400 in the request's own terms when it is wrong) and translates it.
     *
     * @param needsMaxTokens true for {@code /v1/messages}, false for {@code count_tokens}
     */
    static Translation translate(ObjectNode request, boolean needsMaxTokens, JsonNodeFactory json) {
        MessagesRequestTranslator t = new MessagesRequestTranslator(json);
        ObjectNode chat = t.chat(request, needsMaxTokens);
        return new Translation(chat, List.copyOf(t.dropped), t.untranslatable);
    }

    private ObjectNode chat(ObjectNode request, boolean needsMaxTokens) {
        JsonNode model = request.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw invalid("model: Field required (a model name string)");
        }
        JsonNode maxTokens = request.get("max_tokens");
        if (needsMaxTokens && (maxTokens == null || !maxTokens.canConvertToInt() || !maxTokens.isIntegralNumber()
                || maxTokens.asInt() < 1)) {
            throw invalid("max_tokens: Field required (an integer of at least 1)");
        }
        JsonNode messages = request.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw invalid("messages: Field required (a non-empty array of messages)");
        }
        ObjectNode out = json.objectNode();
        out.put("model", model.asText());
        StringBuilder system = new StringBuilder();
        system(request.get("system"), "system", system);
        ArrayNode turns = json.arrayNode();
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), "messages." + i, system, turns);
        }
        ArrayNode chatMessages = out.putArray("messages");
        if (system.length() > 0) {
            chatMessages.addObject().put("role", "system").put("content", system.toString());
        }
        chatMessages.addAll(turns);
        if (maxTokens != null && maxTokens.canConvertToInt()) {
            out.put("max_tokens", maxTokens.asInt());
        }
        stopSequences(list(request, "stop_sequences"), out);
        number(request, "temperature", out);
        number(request, "top_p", out);
        JsonNode topK = request.get("top_k");
        if (topK != null && !topK.isNull()) {
            if (!topK.isIntegralNumber()) {
                throw invalid("top_k: Input should be a valid integer");
            }
            out.put("top_k", topK.asInt());
        }
        metadata(request.get("metadata"), out);
        tools(list(request, "tools"), out);
        toolChoice(request.get("tool_choice"), out);
        thinking(request.get("thinking"), out);
        outputConfig(request.get("output_config"), out);
        if (request.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        JsonNode webExtract = request.get("web_extract");
        if (webExtract != null) {
            // Sluice's own retrieval option, the same on every ingress
            out.set("web_extract", webExtract);
        }
        if (request.hasNonNull("context_management")) {
            dropped.add("context_management");
        }
        if (request.hasNonNull("service_tier")) {
            dropped.add("service_tier");
        }
        if (request.hasNonNull("container")) {
            dropped.add("container");
        }
        JsonNode mcp = request.get("mcp_servers");
        if (mcp != null && mcp.isArray() && !mcp.isEmpty()) {
            refuse("mcp_servers", "MCP servers are run by Anthropic's API; no other provider can connect to them");
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!KNOWN.contains(name)) {
                dropped.add(name);
            }
        });
        return out;
    }

    // ---- system and messages ----------------------------------------------------------------------------------

    private void system(JsonNode system, String param, StringBuilder out) {
        if (system == null || system.isNull()) {
            return;
        }
        if (system.isTextual()) {
            append(out, system.asText());
            return;
        }
        if (!system.isArray()) {
            throw invalid(param + ": Input should be a string or a list of text blocks");
        }
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!TEXT.equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                throw invalid(param + "." + i + ": a system prompt holds text blocks only");
            }
            cacheControl(block);
            append(out, block.get("text").asText());
        }
    }

    private static void append(StringBuilder out, String text) {
        if (text.isEmpty()) {
            return;
        }
        if (out.length() > 0) {
            out.append("\n\n");
        }
        out.append(text);
    }

    private void message(JsonNode m, String param, StringBuilder system, ArrayNode out) {
        if (!m.isObject()) {
            throw invalid(param + ": Input should be an object with 'role' and 'content'");
        }
        String role = m.path("role").asText("");
        JsonNode content = m.get("content");
        if (content == null || !(content.isTextual() || content.isArray())) {
            throw invalid(param + ".content: Field required (a string or a list of content blocks)");
        }
        List<JsonNode> blocks = blocks(content, param + ".content");
        switch (role) {
            case "system" -> {
                // Claude Code sends one after the first user turn; OpenAI has one system prompt: fold it in
                for (int i = 0; i < blocks.size(); i++) {
                    JsonNode b = blocks.get(i);
                    if (!TEXT.equals(b.path("type").asText())) {
                        throw invalid(param + ".content." + i + ": a system message holds text blocks only");
                    }
                    cacheControl(b);
                    append(system, b.path("text").asText(""));
                }
            }
            case "user" -> user(blocks, param + ".content", out);
            case "assistant" -> assistant(blocks, param + ".content", out);
            default -> throw invalid(param + ".role: Input should be 'user' or 'assistant'");
        }
    }

    /** The content as blocks: a string is one text block. */
    private List<JsonNode> blocks(JsonNode content, String param) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content.isTextual()) {
            blocks.add(json.objectNode().put("type", TEXT).put("text", content.asText()));
            return blocks;
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode b = content.get(i);
            if (!b.isObject() || !b.path("type").isTextual()) {
                throw invalid(param + "." + i + ": each content block needs a 'type'");
            }
            blocks.add(b);
        }
        return blocks;
    }

    private void user(List<JsonNode> blocks, String param, ArrayNode out) {
        ArrayNode parts = json.arrayNode();
        ArrayNode toolImages = json.arrayNode();
        eachBlock(blocks, param, (b, p) -> {
            switch (b.path("type").asText()) {
                case TEXT -> parts.add(textPart(b, p));
                case IMAGE -> parts.add(image(b, p));
                case DOCUMENT -> {
                    ObjectNode part = document(b, p);
                    if (part != null) {
                        parts.add(part);
                    }
                }
                case TOOL_RESULT -> out.add(toolResult(b, p, toolImages));
                default -> noEquivalent(b, p);
            }
        });
        parts.addAll(toolImages);
        if (parts.isEmpty()) {
            return;
        }
        ObjectNode message = out.addObject().put("role", "user");
        if (parts.size() == 1 && TEXT.equals(parts.get(0).path("type").asText())) {
            message.set("content", parts.get(0).get("text"));
        } else {
            message.set("content", parts);
        }
    }

    /** Visits the content blocks of a message, each with its parameter path; their cache_control is dropped. */
    private void eachBlock(List<JsonNode> blocks, String param, BiConsumer<JsonNode, String> visit) {
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            cacheControl(b);
            visit.accept(b, param + "." + i);
        }
    }

    private void noEquivalent(JsonNode b, String param) {
        refuse(param + ".type", "a '" + b.path("type").asText() + "' block has no equivalent in OpenAI's chat "
                + "completions");
    }

    private ObjectNode textPart(JsonNode b, String param) {
        if (!b.path("text").isTextual()) {
            throw invalid(param + ".text: Field required");
        }
        if (b.path("citations").isArray() && !b.path("citations").isEmpty()) {
            dropped.add("citations");
        }
        return json.objectNode().put("type", TEXT).put("text", b.get("text").asText());
    }

    private ObjectNode image(JsonNode b, String param) {
        JsonNode source = b.path("source");
        String url;
        switch (source.path("type").asText("")) {
            case "base64" -> {
                String media = source.path("media_type").asText("").toLowerCase(Locale.ROOT);
                if (!IMAGE_TYPES.contains(media)) {
                    throw invalid(param + ".source.media_type: Input should be 'image/jpeg', 'image/png', "
                            + "'image/gif' or 'image/webp'");
                }
                url = "data:" + media + ";base64," + source.path("data").asText("");
            }
            case "url" -> url = source.path("url").asText("");
            default -> {
                refuse(param + ".source.type", "an image by '" + source.path("type").asText("") + "' cannot be "
                        + "sent to other providers; send it as base64 or a URL");
                return json.objectNode().put("type", TEXT).put("text", "");
            }
        }
        ObjectNode part = json.objectNode().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    /** A document as a file part (base64 PDF) or text (plain text, or text blocks); null if refused. */
    private ObjectNode document(JsonNode b, String param) {
        JsonNode source = b.path("source");
        if (b.path("citations").path("enabled").asBoolean(false)) {
            dropped.add("citations");
        }
        switch (source.path("type").asText("")) {
            case "base64" -> {
                String media = source.path("media_type").asText("");
                if (!"application/pdf".equals(media)) {
                    throw invalid(param + ".source.media_type: Input should be 'application/pdf'");
                }
                ObjectNode part = json.objectNode().put("type", "file");
                ObjectNode file = part.putObject("file");
                file.put("file_data", "data:application/pdf;base64," + source.path("data").asText(""));
                file.put("filename", b.path("title").asText("document.pdf"));
                return part;
            }
            case "text" -> {
                String title = b.path("title").isTextual() ? b.get("title").asText() + "\n\n" : "";
                return json.objectNode().put("type", TEXT).put("text", title + source.path("data").asText(""));
            }
            case "content" -> {
                StringBuilder text = new StringBuilder();
                for (JsonNode c : source.path("content")) {
                    append(text, c.path("text").asText(""));
                }
                return json.objectNode().put("type", TEXT).put("text", text.toString());
            }
            default -> {
                refuse(param + ".source.type", "a document by '" + source.path("type").asText("") + "' can only "
                        + "be read by Anthropic; send it as base64 or text");
                return null;
            }
        }
    }

    private ObjectNode toolResult(JsonNode b, String param, ArrayNode images) {
        JsonNode id = b.get("tool_use_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw invalid(param + ".tool_use_id: Field required");
        }
        StringBuilder text = new StringBuilder();
        JsonNode content = b.get("content");
        if (content != null && content.isTextual()) {
            text.append(content.asText());
        } else if (content != null && content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                JsonNode c = content.get(i);
                cacheControl(c);
                switch (c.path("type").asText("")) {
                    case TEXT -> append(text, c.path("text").asText(""));
                    // OpenAI's tool messages hold text only: the images follow in the user turn
                    case IMAGE -> images.add(image(c, param + ".content." + i));
                    case DOCUMENT -> {
                        ObjectNode part = document(c, param + ".content." + i);
                        if (part != null && TEXT.equals(part.path("type").asText())) {
                            append(text, part.path("text").asText());
                        } else if (part != null) {
                            images.add(part);
                        }
                    }
                    default -> refuse(param + ".content." + i + ".type", "a '" + c.path("type").asText("")
                            + "' block in a tool result has no equivalent in OpenAI's chat completions");
                }
            }
        }
        String result = b.path("is_error").asBoolean(false) ? "Error: " + text : text.toString();
        ObjectNode message = json.objectNode().put("role", "tool").put("tool_call_id", id.asText());
        message.put("content", result);
        return message;
    }

    private void assistant(List<JsonNode> blocks, String param, ArrayNode out) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = json.arrayNode();
        eachBlock(blocks, param, (b, p) -> {
            switch (b.path("type").asText()) {
                case TEXT -> text.append(b.path("text").asText(""));
                case TOOL_USE -> {
                    if (!b.path("id").isTextual() || !b.path("name").isTextual()) {
                        throw invalid(p + ": a tool_use block needs 'id' and 'name'");
                    }
                    ObjectNode call = calls.addObject();
                    call.put("id", b.get("id").asText());
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.put("name", b.get("name").asText());
                    JsonNode input = b.get("input");
                    function.put("arguments", input == null || input.isNull() ? "{}" : input.toString());
                }
                // earlier turns' reasoning has no place in an OpenAI conversation (and Anthropic ignores it
                // outside a tool loop)
                case THINKING, REDACTED_THINKING -> dropped.add("thinking blocks of earlier turns");
                default -> noEquivalent(b, p);
            }
        });
        if (text.length() == 0 && calls.isEmpty()) {
            return;
        }
        ObjectNode message = out.addObject().put("role", "assistant");
        if (text.length() > 0) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
    }

    // ---- parameters -------------------------------------------------------------------------------------------

    /** A list parameter's items: none when it is absent or null, a 400 when it is not a list. */
    private JsonNode list(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return json.arrayNode();
        }
        if (!v.isArray()) {
            throw invalid(field + ": Input should be a valid list");
        }
        return v;
    }

    private void stopSequences(JsonNode stop, ObjectNode out) {
        ArrayNode sequences = json.arrayNode();
        for (JsonNode s : stop) {
            if (!s.isTextual()) {
                throw invalid("stop_sequences: each stop sequence should be a string");
            }
            sequences.add(s.asText());
        }
        if (!sequences.isEmpty()) {
            out.set("stop", sequences);
        }
    }

    private static void number(ObjectNode request, String field, ObjectNode out) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isNumber()) {
            throw invalid(field + ": Input should be a valid number");
        }
        out.set(field, v);
    }

    private void metadata(JsonNode metadata, ObjectNode out) {
        if (metadata == null || !metadata.isObject()) {
            return;
        }
        JsonNode user = metadata.get("user_id");
        if (user != null && user.isTextual() && !user.asText().isEmpty()) {
            out.put("user", user.asText());
        }
        metadata.fieldNames().forEachRemaining(name -> {
            if (!"user_id".equals(name)) {
                dropped.add("metadata." + name);
            }
        });
    }

    private void tools(JsonNode tools, ObjectNode out) {
        ArrayNode functions = json.arrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("custom");
            if (!CLIENT_TOOL_TYPES.contains(type)) {
                refuse("tools." + i + ".type", "'" + type + "' is a server tool that only Anthropic runs");
                continue;
            }
            if (!tool.path("name").isTextual()) {
                throw invalid("tools." + i + ".name: Field required");
            }
            cacheControl(tool);
            if (tool.has("defer_loading")) {
                // a tool the client wants found on demand: other providers get it like any other tool
                dropped.add("defer_loading");
            }
            ObjectNode function = functions.addObject().put("type", "function").putObject("function");
            function.put("name", tool.get("name").asText());
            if (tool.path("description").isTextual()) {
                function.put("description", tool.get("description").asText());
            }
            JsonNode schema = tool.get("input_schema");
            function.set("parameters", schema != null && schema.isObject() ? schema
                    : json.objectNode().put("type", "object"));
            if (tool.path("strict").asBoolean(false)) {
                function.put("strict", true);
            }
        }
        if (!functions.isEmpty()) {
            out.set("tools", functions);
        }
    }

    private void toolChoice(JsonNode choice, ObjectNode out) {
        if (choice == null || choice.isNull()) {
            return;
        }
        String type = choice.path("type").asText("");
        switch (type) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> {
                if (!choice.path("name").isTextual()) {
                    throw invalid("tool_choice.name: Field required");
                }
                ObjectNode named = out.putObject("tool_choice").put("type", "function");
                named.putObject("function").put("name", choice.get("name").asText());
            }
            default -> throw invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false) && out.has("tools") && !"none".equals(type)) {
            out.put("parallel_tool_calls", false);
        }
    }

    /**
     * {@code thinking: {type: "enabled", budget_tokens}} asks for reasoning: OpenAI's {@code reasoning_effort} of the
     * nearest size. Adaptive thinking leaves the choice to the model, which is what other providers do when told
     * nothing: it is dropped, as is {@code disabled}.
     */
    private void thinking(JsonNode thinking, ObjectNode out) {
        if (thinking == null || thinking.isNull()) {
            return;
        }
        switch (thinking.path("type").asText("")) {
            case "enabled" -> {
                JsonNode budget = thinking.get("budget_tokens");
                if (budget == null || !budget.canConvertToInt()) {
                    throw invalid("thinking.budget_tokens: Field required");
                }
                out.put("reasoning_effort", effort(budget.asInt()));
            }
            case "disabled" -> {
                // nothing to ask for
            }
            case "adaptive" -> dropped.add("thinking");
            default -> throw invalid("thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'");
        }
    }

    /** The reasoning effort of a thinking budget (Sluice's Anthropic adapter maps the other way with these sizes). */
    static String effort(int budget) {
        if (budget <= 1024) {
            return "minimal";
        }
        if (budget <= 4096) {
            return "low";
        }
        if (budget <= 12288) {
            return "medium";
        }
        return "high";
    }

    private void outputConfig(JsonNode config, ObjectNode out) {
        if (config == null || !config.isObject()) {
            return;
        }
        config.fieldNames().forEachRemaining(name -> {
            switch (name) {
                case "format" -> {
                    JsonNode format = config.get("format");
                    if (format.isNull()) {
                        return;
                    }
                    if (!"json_schema".equals(format.path("type").asText()) || !format.path("schema").isObject()) {
                        throw invalid("output_config.format: expected {\"type\": \"json_schema\", \"schema\": {...}}");
                    }
                    ObjectNode rf = out.putObject("response_format").put("type", "json_schema");
                    ObjectNode schema = rf.putObject("json_schema");
                    schema.put("name", "output");
                    schema.set("schema", format.get("schema"));
                    schema.put("strict", true);
                }
                // how hard the model works: no OpenAI equivalent that every model accepts
                case "effort" -> dropped.add("output_config.effort");
                default -> dropped.add("output_config." + name);
            }
        });
    }

    private void cacheControl(JsonNode block) {
        if (block.has("cache_control")) {
            dropped.add("cache_control");
        }
    }

    private void refuse(String param, String why) {
        if (untranslatable == null) {
            untranslatable = ApiException.invalidRequest(param + ": " + why
                    + " (this request can only be served by an Anthropic deployment)", param, "untranslatable");
        }
    }

    private static ApiException invalid(String message) {
        return ApiException.invalidRequest(message, null);
    }
}
