package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import dev.sluice.provider.RemoteImages.Fetcher;
import dev.sluice.provider.RemoteImages.Pending;
import dev.sluice.provider.ImageInliningMapper;
import dev.sluice.provider.ParameterPolicy.Content;
import dev.sluice.provider.Unsupported;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.sluice.provider.bedrock.BedrockWire.CACHE_POINT;
import static dev.sluice.provider.bedrock.BedrockWire.DOCUMENT;
import static dev.sluice.provider.bedrock.BedrockWire.IMAGE;
import static dev.sluice.provider.bedrock.BedrockWire.REASONING;
import static dev.sluice.provider.bedrock.BedrockWire.REASONING_TEXT;
import static dev.sluice.provider.bedrock.BedrockWire.REDACTED;
import static dev.sluice.provider.bedrock.BedrockWire.TEXT;
import static dev.sluice.provider.bedrock.BedrockWire.THINKING_BLOCKS;
import static dev.sluice.provider.bedrock.BedrockWire.TOOL_RESULT;
import static dev.sluice.provider.bedrock.BedrockWire.TOOL_USE;

/**
 * Translates an OpenAI chat-completions request into a Bedrock Converse request.
 *
 * <ul>
 *   <li>system and developer messages become {@code system} blocks; turns alternate user/assistant (consecutive
 *       turns of one role merged); tool results become {@code toolResult} blocks of a user turn;</li>
 *   <li>assistant tool calls become {@code toolUse} blocks with their ids; signed {@code thinking_blocks} of
 *       earlier Claude answers go back as {@code reasoningContent};</li>
 *   <li>images become {@code image} blocks with bytes (data URLs decoded, http(s) URLs fetched under the web
 *       fetcher's address guard, {@code s3://} URIs as S3 locations); files become {@code document} blocks;
 *       {@code cache_control} on a part adds a {@code cachePoint} after it;</li>
 *   <li>{@code inferenceConfig} from max tokens, temperature, top_p and stop; {@code top_k} and reasoning
 *       ({@code reasoning_effort} → Claude's {@code thinking}, or {@code reasoning_effort} for OpenAI's open
 *       models) go into {@code additionalModelRequestFields};</li>
 *   <li>tools become {@code toolConfig.tools[].toolSpec}; tool_choice auto/required/named →
 *       {@code auto}/{@code any}/{@code tool}; {@code response_format} JSON is obtained through a forced tool
 *       whose input is the answer;</li>
 *   <li>{@code metadata} (and {@code user}, {@code safety_identifier}) become {@code requestMetadata};
 *       {@code service_tier} becomes {@code serviceTier}; Bedrock's own {@code additionalModelRequestFields},
 *       {@code guardrailConfig} and {@code performanceConfig} are passed through when a client sends them.</li>
 * </ul>
 * Claude's thinking budget is fitted under the output cap as for Anthropic ({@link ClaudeThinking}). The deprecated
 * functions API and {@code allowed_tools} arrive already in the tools form ({@link dev.sluice.provider.ToolForms}).
 * Fields Bedrock cannot honour fail with a 400 naming them ({@code n > 1}, {@code logprobs}, {@code logit_bias},
 * non-zero penalties, audio and image output, {@code moderation}, {@code web_search_options}) or are ignored as the
 * field table of docs/providers.md documents ({@code seed}, {@code parallel_tool_calls}, {@code store}, {@code prediction},
 * {@code verbosity}, the prompt-cache hints, image {@code detail}).
 */
final class BedrockRequestMapper extends ImageInliningMapper<BedrockRequestMapper.Translated> {

    record Translated(ObjectNode body, String jsonTool) {
    }

    static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");
    static final Map<String, String> DOCUMENT_FORMATS = Map.of(
            "application/pdf", "pdf", "text/csv", "csv", "application/msword", "doc",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
            "application/vnd.ms-excel", "xls",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
            "text/html", "html", "text/plain", "txt", "text/markdown", "md");

    private final BedrockOptions options;

    BedrockRequestMapper(String provider, BedrockOptions options, ObjectMapper mapper, Fetcher images) {
        super(provider, "Bedrock", BedrockCapabilities.POLICY, mapper, images);
        this.options = options;
    }

    @Override
    protected Translated build(ChatBody chat, String model, List<Pending> pending) {
        ChatCompletionRequest request = chat.view();
        ObjectNode tree = chat.body();
        checkParameters(request, tree);

        ObjectNode out = json.objectNode();
        ArrayNode system = json.arrayNode();
        ArrayNode messages = out.putArray("messages");
        Set<String> usedTools = new LinkedHashSet<>();
        JsonNode raw = tree.path("messages");
        for (int i = 0; i < request.messages().size(); i++) {
            message(request.messages().get(i), raw.path(i), "messages[" + i + "]", system, messages, usedTools,
                    pending);
        }
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        ObjectNode inference = json.objectNode();
        putIfSet(inference, "maxTokens", request.outputTokenLimit());
        putIfSet(inference, "temperature", request.temperature());
        putIfSet(inference, "topP", request.topP());
        ArrayNode stop = stopSequences(request);
        if (stop != null) {
            inference.set("stopSequences", stop);
        }
        if (!inference.isEmpty()) {
            out.set("inferenceConfig", inference);
        }
        ObjectNode additional = additionalFields(request, tree, model);
        String jsonTool = tools(request, out, usedTools, additional != null && additional.has("thinking"));
        if (additional != null && !additional.isEmpty()) {
            out.set("additionalModelRequestFields", additional);
        }
        metadata(request, tree, out);
        serviceTier(tree, out);
        passThrough(tree, out, "guardrailConfig", "guardrail_config");
        passThrough(tree, out, "performanceConfig", "performance_config");
        return new Translated(out, jsonTool);
    }

    private static void passThrough(ObjectNode tree, ObjectNode out, String bedrock, String snake) {
        JsonNode value = nativeField(tree, bedrock, snake);
        if (value != null && value.isObject()) {
            out.set(bedrock, value);
        }
    }

    // ---- messages ---------------------------------------------------------------------------------------------

    private void message(ChatCompletionRequest.Message m, JsonNode raw, String param, ArrayNode system,
                         ArrayNode messages, Set<String> usedTools, List<Pending> pending) {
        switch (m.role()) {
            case "system", "developer" -> {
                for (ContentPart.Text text : systemText(m, param)) {
                    system.addObject().put(TEXT, text.text());
                    cachePoint(text.cacheControl(), system);
                }
                cachePoint(raw.get("cache_control"), system);
            }
            case "user" -> {
                ArrayNode blocks = json.arrayNode();
                for (ContentPart part : ContentPart.parse(m.content(), param + ".content")) {
                    blocks.add(userBlock(part, pending));
                    cachePoint(part.cacheControl(), blocks);
                }
                cachePoint(raw.get("cache_control"), blocks);
                append(messages, "user", blocks);
            }
            case "assistant" -> {
                ArrayNode blocks = json.arrayNode();
                reasoningBlocks(raw.get(THINKING_BLOCKS), param + "." + THINKING_BLOCKS, blocks);
                assistantText(m, param, (text, cacheControl) -> blocks.addObject().put(TEXT, text));
                if (m.toolCalls() != null) {
                    for (int j = 0; j < m.toolCalls().size(); j++) {
                        ChatCompletionRequest.ToolCall call = m.toolCalls().get(j);
                        String callParam = param + ".tool_calls[" + j + "]";
                        ChatCompletionRequest.FunctionCall function = callFunction(call, callParam);
                        ObjectNode use = blocks.addObject().putObject(TOOL_USE);
                        use.put("toolUseId", call.id());
                        use.put("name", function.name());
                        use.set("input", toolArguments(function.arguments(), callParam));
                        usedTools.add(function.name());
                    }
                }
                cachePoint(raw.get("cache_control"), blocks);
                append(messages, "assistant", blocks);
            }
            case "tool" -> {
                ObjectNode result = json.objectNode();
                ObjectNode tr = result.putObject(TOOL_RESULT);
                tr.put("toolUseId", m.toolCallId());
                ArrayNode content = tr.putArray("content");
                if (m.content() != null && m.content().isTextual()) {
                    toolResultContent(m.content().asText(), content);
                } else {
                    for (ContentPart part : ContentPart.parse(m.content(), param + ".content")) {
                        if (part instanceof ContentPart.Text text) {
                            toolResultContent(text.text(), content);
                        } else if (part instanceof ContentPart.Image image) {
                            content.add(userBlock(image, pending));
                        } else {
                            throw refusal(Content.TOOL_RESULT_PART, part.param(), part);
                        }
                    }
                }
                if (content.isEmpty()) {
                    content.addObject().put(TEXT, "");
                }
                append(messages, "user", json.arrayNode().add(result));
            }
            default -> throw unknownRole(m, param);
        }
    }

    /** A JSON object result as a {@code json} block, anything else as text. */
    private void toolResultContent(String text, ArrayNode content) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode parsed = mapper.readTree(trimmed);
                if (parsed != null && parsed.isObject()) {
                    content.addObject().set("json", parsed);
                    return;
                }
            } catch (JsonProcessingException notJson) {
                // sent as text
            }
        }
        content.addObject().put(TEXT, text);
    }

    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        appendTurn(messages, role, "content", blocks);
    }

    /** Anthropic-style {@code cache_control} marks a Bedrock cache point after the block. */
    private void cachePoint(JsonNode cacheControl, ArrayNode blocks) {
        if (cacheControl != null && cacheControl.isObject() && !blocks.isEmpty()
                && !blocks.get(blocks.size() - 1).has(CACHE_POINT)) {
            blocks.addObject().putObject(CACHE_POINT).put("type", "default");
        }
    }

    private ObjectNode userBlock(ContentPart part, List<Pending> pending) {
        ObjectNode block = json.objectNode();
        String text = plainText(part);
        if (text != null) {
            block.put(TEXT, text);
        } else if (part instanceof ContentPart.Image image) {
            image(image, block.putObject(IMAGE), pending);
        } else if (part instanceof ContentPart.File file) {
            document(file, block.putObject(DOCUMENT));
        } else if (part instanceof ContentPart.Audio) {
            throw refusal(Content.AUDIO_INPUT, part.param(), part);
        } else {
            throw refusal(Content.OTHER_PART, part.param() + ".type", ((ContentPart.Other) part).type());
        }
        return block;
    }

    @Override
    protected void inlineImage(ObjectNode target, String mediaType, String base64, String param) {
        String format = imageFormat(mediaType);
        if (format == null) {
            throw refusal(Content.IMAGE_TYPE, param, mediaType);
        }
        target.put("format", format);
        target.putObject("source").put("bytes", base64);
    }

    /** Bedrock reads S3 images itself; other images must be data or http(s) URLs. */
    @Override
    protected boolean referenceImage(String url, String lower, ObjectNode target, String param) {
        if (lower.startsWith("s3://")) {
            String format = imageFormat(mediaTypeOfPath(lower));
            target.put("format", format == null ? "png" : format);
            target.putObject("source").putObject("s3Location").put("uri", url);
            return true;
        }
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw ApiException.invalidRequest("Invalid '" + param + "': expected an http(s), s3 or data URL", param);
        }
        return false;
    }

    /** Bedrock's image format for a media type, or null. */
    static String imageFormat(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        String type = mediaType.toLowerCase(Locale.ROOT);
        if (type.equals("image/jpg")) {
            return "jpeg";
        }
        if (!type.startsWith("image/")) {
            return null;
        }
        String format = type.substring("image/".length());
        return IMAGE_FORMATS.contains(format) ? format : null;
    }

    private void document(ContentPart.File file, ObjectNode out) {
        DataUrl data = fileData(file);
        String format = DOCUMENT_FORMATS.get(data.mediaType());
        if (format == null) {
            throw refusal(Content.DOCUMENT_TYPE, file.param() + ".file.file_data", data.mediaType());
        }
        out.put("format", format);
        out.put("name", documentName(file.filename()));
        out.putObject("source").put("bytes", data.base64());
    }

    /** Bedrock's document names allow letters, digits, single spaces, hyphens, parentheses and brackets. */
    static String documentName(String filename) {
        String base = filename == null || filename.isBlank() ? "document" : filename;
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        String cleaned = base.replaceAll("[^A-Za-z0-9 ()\\[\\]-]", "-").replaceAll("\\s+", " ").strip();
        return cleaned.isEmpty() ? "document" : cleaned;
    }

    /** Signed reasoning of an earlier Claude answer, sent back as Bedrock requires within a tool-use loop. */
    private void reasoningBlocks(JsonNode blocks, String param, ArrayNode out) {
        if (blocks == null || !blocks.isArray()) {
            return;
        }
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            String type = b.path("type").asText("");
            if ("thinking".equals(type) && b.path("thinking").isTextual()) {
                ObjectNode text = out.addObject().putObject(REASONING).putObject(REASONING_TEXT);
                text.put("text", b.get("thinking").asText());
                if (b.path("signature").isTextual()) {
                    text.put("signature", b.get("signature").asText());
                }
            } else if ("redacted_thinking".equals(type) && b.path("data").isTextual()) {
                out.addObject().putObject(REASONING).put(REDACTED, b.get("data").asText());
            } else {
                throw ApiException.invalidRequest("Invalid '" + param + "[" + i + "]': expected a thinking block with "
                        + "'thinking' and 'signature', or a redacted_thinking block with 'data'", param + "[" + i + "]");
            }
        }
    }

    // ---- model-specific fields ------------------------------------------------------------------------------------

    /**
     * {@code additionalModelRequestFields}: the client's own (passed through), plus {@code top_k} and reasoning in
     * the form the model family takes.
     */
    private ObjectNode additionalFields(ChatCompletionRequest request, ObjectNode tree, String model) {
        ObjectNode fields = json.objectNode();
        JsonNode own = tree.has("additionalModelRequestFields") ? tree.get("additionalModelRequestFields")
                : tree.get("additional_model_request_fields");
        if (own != null && own.isObject()) {
            fields.setAll((ObjectNode) own.deepCopy());
        }
        String family = family(model);
        if (request.topK() != null) {
            if ("amazon".equals(family)) {
                fields.with("inferenceConfig").put("topK", request.topK());
            } else {
                fields.put("top_k", request.topK());
            }
        }
        String effort = request.reasoningEffort();
        if (effort != null && !fields.has("thinking") && !fields.has("reasoning_effort")
                && !fields.has("reasoningConfig")) {
            switch (family) {
                case "anthropic" -> {
                    if (!"none".equals(effort)) {
                        ObjectNode thinking = fields.putObject("thinking");
                        thinking.put("type", "enabled");
                        thinking.put("budget_tokens", thinkingBudget(request, model, effort));
                    }
                }
                case "openai" -> fields.put("reasoning_effort", "none".equals(effort) || "minimal".equals(effort)
                        ? "low" : "xhigh".equals(effort) ? "high" : effort);
                case "amazon" -> {
                    if (!"none".equals(effort)) {
                        ObjectNode reasoning = fields.putObject("reasoningConfig");
                        reasoning.put("type", "enabled");
                        reasoning.put("maxReasoningEffort", "minimal".equals(effort) ? "low"
                                : "xhigh".equals(effort) ? "high" : effort);
                    }
                }
                default -> throw Unsupported.parameter(provider, "reasoning_effort", "Sluice knows how to ask for "
                        + "reasoning on Bedrock's Claude, Nova and OpenAI models only; pass the model's own setting in "
                        + "additionalModelRequestFields");
            }
        }
        return fields;
    }

    /**
     * Claude's thinking budget for the effort, fitted under the output cap as the Anthropic adapter fits it
     * ({@link ClaudeThinking}): within the client's {@code max_completion_tokens}/{@code max_tokens}, else below
     * the model's output limit, which Bedrock applies when no {@code maxTokens} is sent.
     */
    private int thinkingBudget(ChatCompletionRequest request, String model, String effort) {
        int budget = options.thinkingBudgets().get(effort);
        Integer cap = request.outputTokenLimit();
        if (cap != null) {
            String param = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
            return ClaudeThinking.withinCap(provider, budget, cap, param);
        }
        return ClaudeThinking.withinLimit(budget, options.claudeMaxOutput().lookup(claudeModel(model)));
    }

    /** Anthropic's name of a Claude model from its Bedrock id, profile id or ARN ({@code us.anthropic.claude-...}). */
    static String claudeModel(String model) {
        String id = model.substring(model.lastIndexOf('/') + 1);
        int at = id.indexOf("anthropic.");
        return at < 0 ? id : id.substring(at + "anthropic.".length());
    }

    /** The model's maker, from a model id, inference profile id ({@code us.anthropic...}) or ARN. */
    static String family(String model) {
        String id = model;
        int slash = id.lastIndexOf('/');
        if (slash >= 0) {
            id = id.substring(slash + 1);
        }
        for (String maker : List.of("anthropic", "amazon", "openai", "meta", "mistral", "cohere", "deepseek", "ai21",
                "writer", "qwen")) {
            if (id.startsWith(maker + ".") || id.contains("." + maker + ".")) {
                return maker;
            }
        }
        return "";
    }

    /**
     * {@code requestMetadata} (recorded in Bedrock's invocation logs): the client's {@code metadata}, plus
     * {@code user} and {@code safety_identifier} under those keys.
     */
    private void metadata(ChatCompletionRequest request, ObjectNode tree, ObjectNode out) {
        ObjectNode metadata = json.objectNode();
        if (request.metadata() != null) {
            request.metadata().forEach(metadata::put);
        }
        if (request.user() != null && !request.user().isBlank() && !metadata.has("user")) {
            metadata.put("user", request.user());
        }
        JsonNode safety = tree.get("safety_identifier");
        if (safety != null && safety.isTextual() && !safety.asText().isBlank() && !metadata.has("safety_identifier")) {
            metadata.put("safety_identifier", safety.asText());
        }
        if (!metadata.isEmpty()) {
            out.set("requestMetadata", metadata);
        }
    }

    /**
     * OpenAI's {@code service_tier} as Bedrock's {@code serviceTier}: default, flex and priority by the same name,
     * scale (OpenAI's reserved capacity) as reserved; auto leaves the choice to Bedrock (nothing sent).
     */
    private void serviceTier(ObjectNode tree, ObjectNode out) {
        JsonNode tier = tree.get("service_tier");
        if (tier == null || tier.isNull()) {
            return;
        }
        String type = switch (tier.asText("")) {
            case "auto" -> null;
            case "default", "flex", "priority" -> tier.asText();
            case "scale" -> "reserved";
            default -> throw ApiException.invalidRequest("Invalid 'service_tier': expected auto, default, flex, "
                    + "scale or priority", "service_tier");
        };
        if (type != null) {
            out.putObject("serviceTier").put("type", type);
        }
    }

    // ---- tools ------------------------------------------------------------------------------------------------

    /** Sets {@code toolConfig}; returns the forced tool carrying a structured answer, or null. */
    private String tools(ChatCompletionRequest request, ObjectNode out, Set<String> usedTools, boolean thinking) {
        ArrayNode tools = json.arrayNode();
        Set<String> declared = new LinkedHashSet<>();
        if (request.tools() != null) {
            for (int i = 0; i < request.tools().size(); i++) {
                ChatCompletionRequest.FunctionDefinition function = function(request.tools().get(i),
                        "tools[" + i + "]");
                tools.add(toolSpec(function.name(), function.description(), function.parameters()));
                declared.add(function.name());
            }
        }
        ObjectNode choice = null;
        JsonNode requested = request.toolChoice();
        boolean none = requested != null && requested.isTextual() && "none".equals(requested.asText());
        if (requested != null && !requested.isNull() && !none) {
            choice = toolChoice(requested);
        }
        if (none && usedTools.isEmpty()) {
            // Converse has no "none": the tools are simply not offered
            tools.removeAll();
            declared.clear();
        }
        String jsonTool = null;
        ChatCompletionRequest.ResponseFormat format = request.responseFormat();
        if (format != null && !"text".equals(format.type())) {
            if (!tools.isEmpty()) {
                throw Unsupported.parameter(provider, "response_format", "on Bedrock Sluice obtains " + format.type()
                        + " output through a forced tool call, which cannot be combined with the request's own tools");
            }
            if (thinking) {
                throw Unsupported.parameter(provider, "response_format", "on Bedrock Sluice obtains " + format.type()
                        + " output through a forced tool call, which Claude refuses together with reasoning");
            }
            JsonNode schema;
            if ("json_schema".equals(format.type())) {
                schema = responseSchema(format);
                jsonTool = jsonToolName(format);
            } else {
                schema = json.objectNode().put("type", "object");
                jsonTool = JSON_TOOL;
            }
            tools.add(toolSpec(jsonTool, JSON_TOOL_DESCRIPTION, schema));
            declared.add(jsonTool);
            choice = json.objectNode();
            choice.putObject("tool").put("name", jsonTool);
        }
        // Bedrock refuses toolUse/toolResult blocks without a toolConfig: declare tools the history used
        for (String name : usedTools) {
            if (!declared.contains(name)) {
                tools.add(toolSpec(name, null, null));
                declared.add(name);
            }
        }
        if (tools.isEmpty()) {
            return jsonTool;
        }
        ObjectNode config = out.putObject("toolConfig");
        config.set("tools", tools);
        if (choice != null) {
            config.set("toolChoice", choice);
        }
        return jsonTool;
    }

    private ObjectNode toolSpec(String name, String description, JsonNode parameters) {
        ObjectNode tool = json.objectNode();
        ObjectNode spec = tool.putObject("toolSpec");
        spec.put("name", name);
        if (description != null && !description.isBlank()) {
            spec.put("description", description);
        }
        ObjectNode schema;
        if (parameters != null && parameters.isObject()) {
            schema = ((ObjectNode) parameters).deepCopy();
            if (!schema.has("type")) {
                schema.put("type", "object");
            }
        } else {
            schema = json.objectNode();
            schema.put("type", "object");
            schema.putObject("properties");
        }
        spec.putObject("inputSchema").set("json", schema);
        return tool;
    }

    private ObjectNode toolChoice(JsonNode choice) {
        ObjectNode out = json.objectNode();
        if (choice.isTextual()) {
            switch (choice.asText()) {
                case "auto" -> out.putObject("auto");
                case "required" -> out.putObject("any");
                default -> throw ApiException.invalidRequest("Invalid 'tool_choice': expected auto, none, required or "
                        + "a named function", "tool_choice");
            }
            return out;
        }
        String name = choice.path("function").path("name").asText("");
        if (choice.isObject() && "function".equals(choice.path("type").asText()) && !name.isEmpty()) {
            out.putObject("tool").put("name", name);
            return out;
        }
        throw ApiException.invalidRequest("Invalid 'tool_choice': expected auto, none, required or "
                + "{\"type\": \"function\", \"function\": {\"name\": ...}}", "tool_choice");
    }
}
