package dev.sluice.provider.anthropic;

import dev.sluice.anthropic.AnthropicWire;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.provider.ClaudeThinking;
import dev.sluice.openai.ContentPart;
import dev.sluice.openai.DataUrl;
import dev.sluice.provider.ChatRequestMapper;
import dev.sluice.provider.ParameterPolicy.Content;
import dev.sluice.provider.Unsupported;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.sluice.anthropic.AnthropicWire.DOCUMENT;
import static dev.sluice.anthropic.AnthropicWire.IMAGE;
import static dev.sluice.anthropic.AnthropicWire.REDACTED_THINKING;
import static dev.sluice.anthropic.AnthropicWire.TEXT;
import static dev.sluice.anthropic.AnthropicWire.THINKING;
import static dev.sluice.anthropic.AnthropicWire.THINKING_BLOCKS;
import static dev.sluice.anthropic.AnthropicWire.TOOL_RESULT;
import static dev.sluice.anthropic.AnthropicWire.TOOL_USE;

/**
 * Translates an OpenAI chat-completions request into an Anthropic Messages API request.
 *
 * <ul>
 *   <li>system and developer messages, wherever they are, become the top-level {@code system} (in order);</li>
 *   <li>consecutive turns of the same role are merged into one turn, as Anthropic requires alternation;
 *       tool results become {@code tool_result} blocks of a user turn;</li>
 *   <li>assistant tool calls become {@code tool_use} blocks (their ids kept), signed {@code thinking_blocks} of
 *       earlier answers go back as thinking blocks;</li>
 *   <li>images: data URLs become base64 sources, http(s) URLs URL sources; PDFs and plain-text files become
 *       document blocks; {@code cache_control} on a part (or on a message: its last block) is passed through;</li>
 *   <li>{@code max_tokens} is always sent: the client's {@code max_completion_tokens}/{@code max_tokens}, else the
 *       configured default for the model (plus the thinking budget, within the model's output limit);</li>
 *   <li>{@code response_format} becomes {@code output_config.format} (native structured outputs) or, for models
 *       without them and for {@code json_object}, a forced tool whose input is the answer;</li>
 *   <li>{@code reasoning_effort} becomes extended thinking with the configured budget, fitted under the output
 *       cap ({@link ClaudeThinking});</li>
 *   <li>{@code web_search_options} becomes Anthropic's web search server tool; {@code safety_identifier} (else
 *       {@code user}) becomes {@code metadata.user_id}.</li>
 * </ul>
 * The deprecated functions API and {@code allowed_tools} arrive already in the tools form
 * ({@link dev.sluice.provider.ToolForms}). Fields Anthropic cannot honour either fail with a 400 naming them
 * ({@code n > 1}, {@code logprobs}, {@code logit_bias}, {@code moderation}, audio and image output) or are ignored
 * as the field table of docs/providers.md documents (penalties, {@code seed}, {@code metadata}, {@code service_tier},
 * {@code store}, {@code prediction}, {@code verbosity}, the prompt-cache hints, image {@code detail}, message
 * {@code name}).
 */
final class AnthropicRequestMapper extends ChatRequestMapper {

    /**
     * A translated request.
     *
     * @param body     the Anthropic request body
     * @param jsonTool the name of the forced tool carrying a structured answer, or null
     */
    record Translated(ObjectNode body, String jsonTool) {
    }

    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private final AnthropicOptions options;

    AnthropicRequestMapper(String provider, AnthropicOptions options, ObjectMapper mapper) {
        super(provider, "Anthropic", AnthropicCapabilities.POLICY, mapper);
        this.options = options;
    }

    Translated translate(ChatBody chat, String model, boolean stream) {
        ChatCompletionRequest request = chat.view();
        ObjectNode tree = chat.body();
        checkParameters(request, tree);

        ObjectNode out = json.objectNode();
        out.put("model", model);
        ArrayNode system = json.arrayNode();
        List<Turn> turns = new ArrayList<>();
        JsonNode rawMessages = tree.path("messages");
        for (int i = 0; i < request.messages().size(); i++) {
            message(request.messages().get(i), rawMessages.path(i), "messages[" + i + "]", system, turns);
        }
        if (!system.isEmpty()) {
            out.set("system", compact(system));
        }
        ArrayNode messages = out.putArray("messages");
        for (Turn t : turns) {
            ObjectNode m = messages.addObject();
            m.put("role", t.role);
            m.set("content", compact(t.content));
        }

        ObjectNode thinking = thinking(request, tree, turns);
        int budget = thinking != null && thinking.path("budget_tokens").canConvertToInt()
                ? thinking.path("budget_tokens").asInt() : 0;
        Integer clientMax = request.outputTokenLimit();
        int maxTokens;
        if (clientMax != null) {
            maxTokens = clientMax;
            if (thinking != null && tree.path("thinking").isMissingNode() && budget > 0) {
                // the client's cap covers reasoning and answer, as in OpenAI: split it
                String param = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
                thinking.put("budget_tokens", ClaudeThinking.withinCap(provider, budget, clientMax, param));
            }
        } else {
            // room for the answer plus the thinking budget, within what the model can write at all
            maxTokens = Math.min(options.maxTokens().lookup(model) + budget, options.maxOutput().lookup(model));
            if (thinking != null && tree.path("thinking").isMissingNode() && budget > 0) {
                thinking.put("budget_tokens", ClaudeThinking.withinLimit(budget, maxTokens));
            }
        }
        out.put("max_tokens", maxTokens);
        if (thinking != null) {
            out.set("thinking", thinking);
        }

        ArrayNode stop = stopSequences(request);
        if (stop != null) {
            out.set("stop_sequences", stop);
        }
        putIfSet(out, "temperature", request.temperature());
        putIfSet(out, "top_p", request.topP());
        putIfSet(out, "top_k", request.topK());
        String endUser = endUser(request, tree);
        if (endUser != null) {
            out.putObject("metadata").put("user_id", endUser);
        }
        tools(request, tree, out);
        String jsonTool = responseFormat(request, model, out, thinking != null);
        if (stream) {
            out.put("stream", true);
        }
        return new Translated(out, jsonTool);
    }

    /**
     * The end user Anthropic is told about ({@code metadata.user_id}, for abuse detection): OpenAI's
     * {@code safety_identifier}, which replaces {@code user} for that purpose, else {@code user}.
     */
    static String endUser(ChatCompletionRequest request, ObjectNode tree) {
        JsonNode safety = tree.get("safety_identifier");
        if (safety != null && safety.isTextual() && !safety.asText().isBlank()) {
            return safety.asText();
        }
        return request.user() != null && !request.user().isBlank() ? request.user() : null;
    }

    // ---- messages ---------------------------------------------------------------------------------------------

    /** One Anthropic turn being assembled: consecutive messages of the same role are merged into it. */
    private static final class Turn {
        final String role;
        final ArrayNode content;

        Turn(String role, ArrayNode content) {
            this.role = role;
            this.content = content;
        }
    }

    private void message(ChatCompletionRequest.Message m, JsonNode raw, String param, ArrayNode system,
                         List<Turn> turns) {
        switch (m.role()) {
            case "system", "developer" -> {
                int before = system.size();
                for (ContentPart.Text text : systemText(m, param)) {
                    system.add(textBlock(text.text(), text.cacheControl()));
                }
                messageCacheControl(raw, system, before);
            }
            case "user" -> {
                ArrayNode blocks = turn(turns, "user");
                int before = blocks.size();
                for (ContentPart part : ContentPart.parse(m.content(), param + ".content")) {
                    blocks.add(userBlock(part));
                }
                messageCacheControl(raw, blocks, before);
            }
            case "assistant" -> {
                ArrayNode blocks = turn(turns, "assistant");
                int before = blocks.size();
                thinkingBlocks(raw.get(THINKING_BLOCKS), param + "." + THINKING_BLOCKS, blocks);
                assistantText(m, param, (text, cacheControl) -> blocks.add(textBlock(text, cacheControl)));
                if (m.toolCalls() != null) {
                    for (int j = 0; j < m.toolCalls().size(); j++) {
                        blocks.add(toolUse(m.toolCalls().get(j), param + ".tool_calls[" + j + "]"));
                    }
                }
                messageCacheControl(raw, blocks, before);
            }
            case "tool" -> {
                ArrayNode blocks = turn(turns, "user");
                int before = blocks.size();
                ObjectNode result = blocks.addObject();
                result.put("type", TOOL_RESULT);
                result.put("tool_use_id", m.toolCallId());
                if (m.content() != null && m.content().isTextual()) {
                    result.put("content", m.content().asText());
                } else {
                    ArrayNode content = result.putArray("content");
                    for (ContentPart part : ContentPart.parse(m.content(), param + ".content")) {
                        if (!(part instanceof ContentPart.Text) && !(part instanceof ContentPart.Image)) {
                            throw refusal(Content.TOOL_RESULT_PART, part.param(), part);
                        }
                        content.add(userBlock(part));
                    }
                }
                messageCacheControl(raw, blocks, before);
            }
            default -> throw unknownRole(m, param);
        }
    }

    /** A lone plain text block is sent as a string, the short form Anthropic's own examples use. */
    private static JsonNode compact(ArrayNode blocks) {
        if (blocks.size() == 1 && blocks.get(0).size() == 2 && TEXT.equals(blocks.get(0).path("type").asText())) {
            return blocks.get(0).get("text");
        }
        return blocks;
    }

    /** The content array of the last turn if it has this role, else of a new turn. */
    private ArrayNode turn(List<Turn> turns, String role) {
        if (!turns.isEmpty() && turns.get(turns.size() - 1).role.equals(role)) {
            return turns.get(turns.size() - 1).content;
        }
        Turn t = new Turn(role, json.arrayNode());
        turns.add(t);
        return t.content;
    }

    /** A message-level {@code cache_control} marks the last block the message contributed. */
    private static void messageCacheControl(JsonNode raw, ArrayNode blocks, int before) {
        JsonNode cache = raw.get("cache_control");
        if (cache != null && cache.isObject() && blocks.size() > before) {
            ((ObjectNode) blocks.get(blocks.size() - 1)).set("cache_control", cache);
        }
    }

    private ObjectNode textBlock(String text, JsonNode cacheControl) {
        ObjectNode block = json.objectNode();
        block.put("type", TEXT);
        block.put("text", text);
        if (cacheControl != null && cacheControl.isObject()) {
            block.set("cache_control", cacheControl);
        }
        return block;
    }

    private ObjectNode userBlock(ContentPart part) {
        ObjectNode block;
        String text = plainText(part);
        if (text != null) {
            return textBlock(text, part.cacheControl());
        } else if (part instanceof ContentPart.Image image) {
            block = image(image);
        } else if (part instanceof ContentPart.File file) {
            block = document(file);
        } else if (part instanceof ContentPart.Audio) {
            throw refusal(Content.AUDIO_INPUT, part.param(), part);
        } else {
            // a part of Anthropic's own vocabulary (document with citations, search_result...) goes as it is
            return ((ContentPart.Other) part).raw().deepCopy();
        }
        if (part.cacheControl() != null && part.cacheControl().isObject()) {
            block.set("cache_control", part.cacheControl());
        }
        return block;
    }

    private ObjectNode image(ContentPart.Image image) {
        ObjectNode block = json.objectNode();
        block.put("type", IMAGE);
        ObjectNode source = block.putObject("source");
        String url = image.url();
        if (image.inline()) {
            DataUrl data = imageData(url, image.param() + ".image_url.url");
            if (!IMAGE_TYPES.contains(data.mediaType())) {
                throw refusal(Content.IMAGE_TYPE, image.param() + ".image_url.url", data.mediaType());
            }
            source.put("type", "base64");
            source.put("media_type", data.mediaType());
            source.put("data", data.base64());
        } else {
            String scheme = url.length() > 8 ? url.substring(0, 8).toLowerCase(Locale.ROOT) : "";
            if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) {
                throw ApiException.invalidRequest("Invalid '" + image.param() + ".image_url.url': expected an "
                        + "http(s) URL or a data URL", image.param() + ".image_url.url");
            }
            source.put("type", "url");
            source.put("url", url);
        }
        return block;
    }

    private ObjectNode document(ContentPart.File file) {
        DataUrl data = fileData(file);
        ObjectNode block = json.objectNode();
        block.put("type", DOCUMENT);
        ObjectNode source = block.putObject("source");
        if ("application/pdf".equals(data.mediaType())) {
            source.put("type", "base64");
            source.put("media_type", data.mediaType());
            source.put("data", data.base64());
        } else if ("text/plain".equals(data.mediaType())) {
            source.put("type", "text");
            source.put("media_type", data.mediaType());
            source.put("data", new String(java.util.Base64.getMimeDecoder().decode(data.base64()),
                    java.nio.charset.StandardCharsets.UTF_8));
        } else {
            throw refusal(Content.DOCUMENT_TYPE, file.param() + ".file.file_data", data.mediaType());
        }
        if (file.filename() != null && !file.filename().isBlank()) {
            block.put("title", file.filename());
        }
        return block;
    }

    private ObjectNode toolUse(ChatCompletionRequest.ToolCall call, String param) {
        ChatCompletionRequest.FunctionCall function = callFunction(call, param);
        ObjectNode block = json.objectNode();
        block.put("type", TOOL_USE);
        block.put("id", call.id());
        block.put("name", function.name());
        block.set("input", toolArguments(function.arguments(), param));
        return block;
    }

    /** Signed thinking blocks of an earlier answer, sent back as Anthropic requires within a tool-use loop. */
    private void thinkingBlocks(JsonNode blocks, String param, ArrayNode out) {
        if (blocks == null || !blocks.isArray()) {
            return;
        }
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            String type = b.path("type").asText("");
            if (THINKING.equals(type) && b.path("signature").isTextual() && b.path("thinking").isTextual()) {
                ObjectNode block = out.addObject();
                block.put("type", THINKING);
                block.put("thinking", b.get("thinking").asText());
                block.put("signature", b.get("signature").asText());
            } else if (REDACTED_THINKING.equals(type) && b.path("data").isTextual()) {
                ObjectNode block = out.addObject();
                block.put("type", REDACTED_THINKING);
                block.put("data", b.get("data").asText());
            } else {
                throw ApiException.invalidRequest("Invalid '" + param + "[" + i + "]': expected a thinking block with "
                        + "'thinking' and 'signature', or a redacted_thinking block with 'data'", param + "[" + i + "]");
            }
        }
    }

    // ---- thinking ---------------------------------------------------------------------------------------------

    /**
     * The {@code thinking} object: the client's own Anthropic-style {@code thinking} if it sent one, else one
     * derived from {@code reasoning_effort}; null for none. When the conversation continues a tool-use turn whose
     * signed thinking blocks the client did not send back, thinking is left off for this request: Anthropic
     * refuses such a turn with thinking enabled.
     */
    private ObjectNode thinking(ChatCompletionRequest request, ObjectNode tree, List<Turn> turns) {
        ObjectNode thinking = null;
        JsonNode explicit = tree.get("thinking");
        if (explicit != null && explicit.isObject()) {
            thinking = (ObjectNode) explicit.deepCopy();
        } else if (request.reasoningEffort() != null && !"none".equals(request.reasoningEffort())) {
            thinking = json.objectNode();
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", options.thinkingBudgets().get(request.reasoningEffort()));
        }
        if (thinking == null || !"enabled".equals(thinking.path("type").asText())) {
            return thinking;
        }
        for (int i = turns.size() - 1; i >= 0; i--) {
            Turn t = turns.get(i);
            if (!t.role.equals("assistant")) {
                continue;
            }
            boolean usesTools = false;
            for (JsonNode b : t.content) {
                usesTools |= TOOL_USE.equals(b.path("type").asText());
            }
            String first = t.content.isEmpty() ? "" : t.content.get(0).path("type").asText();
            boolean signed = THINKING.equals(first) || REDACTED_THINKING.equals(first);
            return usesTools && !signed ? null : thinking;
        }
        return thinking;
    }

    // ---- tools ------------------------------------------------------------------------------------------------

    private void tools(ChatCompletionRequest request, ObjectNode tree, ObjectNode out) {
        JsonNode search = tree.get("web_search_options");
        boolean webSearch = search != null && search.isObject();
        if ((request.tools() == null || request.tools().isEmpty()) && !webSearch) {
            return;
        }
        ArrayNode tools = out.putArray("tools");
        JsonNode rawTools = tree.path("tools");
        for (int i = 0; request.tools() != null && i < request.tools().size(); i++) {
            ChatCompletionRequest.FunctionDefinition function = function(request.tools().get(i), "tools[" + i + "]");
            ObjectNode t = tools.addObject();
            t.put("name", function.name());
            if (function.description() != null) {
                t.put("description", function.description());
            }
            t.set("input_schema", inputSchema(function.parameters()));
            if (Boolean.TRUE.equals(function.strict())) {
                t.put("strict", true);
            }
            JsonNode cache = rawTools.path(i).get("cache_control");
            if (cache != null && cache.isObject()) {
                t.set("cache_control", cache);
            }
        }
        if (webSearch) {
            tools.add(webSearchTool(search));
        }
        ObjectNode choice = toolChoice(request.toolChoice());
        if (Boolean.FALSE.equals(request.parallelToolCalls())) {
            if (choice == null) {
                choice = json.objectNode().put("type", "auto");
            }
            if (!"none".equals(choice.path("type").asText())) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            out.set("tool_choice", choice);
        }
    }

    /**
     * Anthropic's web search server tool for OpenAI's {@code web_search_options}: its approximate
     * {@code user_location} carried over; {@code search_context_size} has no Anthropic setting and is not sent.
     */
    private ObjectNode webSearchTool(JsonNode search) {
        ObjectNode tool = json.objectNode();
        tool.put("type", options.webSearchTool());
        tool.put("name", AnthropicWire.WEB_SEARCH);
        JsonNode approximate = search.path("user_location").path("approximate");
        if (approximate.isObject()) {
            ObjectNode location = json.objectNode();
            for (String field : new String[]{"city", "region", "country", "timezone"}) {
                if (approximate.path(field).isTextual()) {
                    location.put(field, approximate.get(field).asText());
                }
            }
            if (!location.isEmpty()) {
                tool.putObject("user_location").put("type", "approximate").setAll(location);
            }
        }
        return tool;
    }

    /** Anthropic needs an object schema; OpenAI allows the parameters to be omitted. */
    private JsonNode inputSchema(JsonNode parameters) {
        if (parameters == null || !parameters.isObject()) {
            ObjectNode schema = json.objectNode();
            schema.put("type", "object");
            schema.putObject("properties");
            return schema;
        }
        if (!parameters.has("type")) {
            ObjectNode schema = json.objectNode();
            schema.put("type", "object");
            schema.setAll((ObjectNode) parameters);
            return schema;
        }
        return parameters;
    }

    private ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> json.objectNode().put("type", "auto");
                case "none" -> json.objectNode().put("type", "none");
                case "required" -> json.objectNode().put("type", "any");
                default -> throw ApiException.invalidRequest("Invalid 'tool_choice': expected auto, none, required "
                        + "or a named function", "tool_choice");
            };
        }
        String name = choice.path("function").path("name").asText("");
        if (choice.isObject() && "function".equals(choice.path("type").asText()) && !name.isEmpty()) {
            return json.objectNode().put("type", "tool").put("name", name);
        }
        throw ApiException.invalidRequest("Invalid 'tool_choice': expected auto, none, required or "
                + "{\"type\": \"function\", \"function\": {\"name\": ...}}", "tool_choice");
    }

    // ---- structured output ------------------------------------------------------------------------------------

    /** Applies {@code response_format}; returns the forced tool's name when the answer comes through one. */
    private String responseFormat(ChatCompletionRequest request, String model, ObjectNode out, boolean thinking) {
        ChatCompletionRequest.ResponseFormat format = request.responseFormat();
        if (format == null || "text".equals(format.type())) {
            return null;
        }
        JsonNode schema;
        String name;
        if ("json_schema".equals(format.type())) {
            schema = responseSchema(format);
            if (!options.jsonToolModels().lookup(model)) {
                ObjectNode f = out.putObject("output_config").putObject("format");
                f.put("type", "json_schema");
                f.set("schema", schema);
                return null;
            }
            name = jsonToolName(format);
        } else {
            // Anthropic's native structured outputs need a schema with known properties: any JSON object
            // comes through a forced tool whose input may be any object
            schema = json.objectNode().put("type", "object");
            name = JSON_TOOL;
        }
        if (out.has("tools")) {
            throw Unsupported.parameter(provider, "response_format", "on model '" + model + "' Sluice obtains "
                    + format.type() + " output through a forced tool call, which cannot be combined with the "
                    + "request's own tools or web search");
        }
        if (thinking) {
            throw Unsupported.parameter(provider, "response_format", "on model '" + model + "' Sluice obtains "
                    + format.type() + " output through a forced tool call, which Anthropic refuses together with "
                    + "extended thinking (reasoning_effort)");
        }
        ObjectNode tool = out.putArray("tools").addObject();
        tool.put("name", name);
        tool.put("description", JSON_TOOL_DESCRIPTION);
        tool.set("input_schema", inputSchema(schema));
        out.putObject("tool_choice").put("type", "tool").put("name", name);
        return name;
    }
}
