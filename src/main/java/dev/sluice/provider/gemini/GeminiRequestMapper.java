package dev.sluice.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ContentPart;
import dev.sluice.openai.DataUrl;
import dev.sluice.provider.ImageInliningMapper;
import dev.sluice.provider.MessageImages;
import dev.sluice.provider.ParameterPolicy.Content;
import dev.sluice.provider.RemoteImages.Fetcher;
import dev.sluice.provider.RemoteImages.Pending;
import dev.sluice.provider.Unsupported;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.sluice.provider.gemini.GeminiWire.EXTRA_CONTENT;
import static dev.sluice.provider.gemini.GeminiWire.FILE_DATA;
import static dev.sluice.provider.gemini.GeminiWire.FUNCTION_CALL;
import static dev.sluice.provider.gemini.GeminiWire.FUNCTION_RESPONSE;
import static dev.sluice.provider.gemini.GeminiWire.GOOGLE;
import static dev.sluice.provider.gemini.GeminiWire.INLINE_DATA;
import static dev.sluice.provider.gemini.GeminiWire.MODEL;
import static dev.sluice.provider.gemini.GeminiWire.TEXT;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT_SIGNATURE;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT_SIGNATURE_FIELD;
import static dev.sluice.provider.gemini.GeminiWire.USER;

/**
 * Translates an OpenAI chat-completions request into a Gemini {@code generateContent} request.
 *
 * <ul>
 *   <li>system and developer messages become {@code systemInstruction}; assistant turns have role {@code model};
 *       consecutive turns of one role are merged, as Gemini expects alternation;</li>
 *   <li>assistant tool calls become {@code functionCall} parts (with their thought signature, carried by the
 *       OpenAI tool call as {@code extra_content.google.thought_signature}); tool messages become
 *       {@code functionResponse} parts of a user turn, their function name recovered from the assistant tool call
 *       whose id they answer;</li>
 *   <li>images: data URLs become {@code inlineData}; Files API, {@code gs://} and YouTube URIs {@code fileData};
 *       other http(s) URLs are fetched through the web fetcher's address guard and inlined (or, with
 *       {@code image-urls=file-data}, sent as {@code fileData});</li>
 *   <li>{@code generationConfig} from temperature, top_p, top_k, max tokens, stop, n, seed, penalties, logprobs,
 *       modalities ({@code responseModalities}), response_format (schemas fitted by {@link GeminiSchema}) and
 *       reasoning_effort; tools become {@code functionDeclarations} and tool_choice
 *       {@code toolConfig.functionCallingConfig}; {@code web_search_options} adds Google Search grounding;</li>
 *   <li>images an earlier answer returned ({@code message.images}) go back as {@code inlineData} parts of the
 *       model turn, with their thought signature.</li>
 * </ul>
 * The deprecated functions API and {@code allowed_tools} arrive already in the tools form
 * ({@link dev.sluice.provider.ToolForms}). Fields Gemini cannot honour fail with a 400 naming them
 * ({@code logit_bias}, audio output, {@code moderation}, {@code n > 8}, non-function tools, audio input in formats
 * Gemini lacks) or are ignored as the field table of docs/providers.md documents ({@code user}, {@code safety_identifier},
 * {@code metadata}, {@code parallel_tool_calls}, {@code store}, {@code service_tier}, {@code prediction},
 * {@code verbosity}, the prompt-cache hints).
 */
final class GeminiRequestMapper extends ImageInliningMapper<ObjectNode> {

    static final String GENERATED_ID_PREFIX = "call_";

    private final GeminiOptions options;

    GeminiRequestMapper(String provider, GeminiOptions options, ObjectMapper mapper, Fetcher images) {
        super(provider, "Gemini", GeminiCapabilities.POLICY, mapper, images);
        this.options = options;
    }

    @Override
    protected ObjectNode build(ChatBody chat, String model, List<Pending> pending) {
        ChatCompletionRequest request = chat.view();
        ObjectNode tree = chat.body();
        checkParameters(request, tree);

        ObjectNode out = json.objectNode();
        ArrayNode system = json.arrayNode();
        ArrayNode contents = out.putArray("contents");
        Map<String, String> callNames = new HashMap<>();
        JsonNode rawMessages = tree.path("messages");
        boolean signatures = options.requiresSignatures(model);
        for (int i = 0; i < request.messages().size(); i++) {
            message(request.messages().get(i), rawMessages.path(i), "messages[" + i + "]", system, contents,
                    callNames, pending, signatures);
        }
        if (!system.isEmpty()) {
            out.putObject("systemInstruction").set("parts", system);
        }
        tools(request, tree, out);
        ObjectNode config = generationConfig(request, tree, model);
        if (!config.isEmpty()) {
            out.set("generationConfig", config);
        }
        // Gemini's own settings, for clients that know them (sent through OpenAI SDKs' extra_body)
        passThrough(tree, out, "safetySettings", "safety_settings");
        passThrough(tree, out, "cachedContent", "cached_content");
        return out;
    }

    private static void passThrough(ObjectNode tree, ObjectNode out, String gemini, String snake) {
        JsonNode value = nativeField(tree, gemini, snake);
        if (value != null && !value.isNull()) {
            out.set(gemini, value);
        }
    }

    // ---- messages ---------------------------------------------------------------------------------------------

    private void message(ChatCompletionRequest.Message m, JsonNode raw, String param, ArrayNode system,
                         ArrayNode contents, Map<String, String> callNames, List<Pending> pending,
                         boolean signatures) {
        switch (m.role()) {
            case "system", "developer" -> {
                for (ContentPart.Text text : systemText(m, param)) {
                    system.addObject().put(TEXT, text.text());
                }
            }
            case "user" -> {
                ArrayNode parts = json.arrayNode();
                for (ContentPart part : ContentPart.parse(m.content(), param + ".content")) {
                    parts.add(userPart(part, pending));
                }
                append(contents, USER, parts);
            }
            case "assistant" -> {
                ArrayNode parts = json.arrayNode();
                assistantText(m, param, (text, cacheControl) -> parts.addObject().put(TEXT, text));
                generatedImages(raw.path(MessageImages.FIELD), param + "." + MessageImages.FIELD, parts, signatures);
                if (m.toolCalls() != null) {
                    JsonNode rawCalls = raw.path("tool_calls");
                    boolean first = true;
                    for (int j = 0; j < m.toolCalls().size(); j++) {
                        ChatCompletionRequest.ToolCall call = m.toolCalls().get(j);
                        String callParam = param + ".tool_calls[" + j + "]";
                        parts.add(functionCall(call, rawCalls.path(j), callParam, first && signatures));
                        first = false;
                        if (call.id() != null) {
                            callNames.put(call.id(), call.function().name());
                        }
                    }
                }
                append(contents, MODEL, parts);
            }
            case "tool" -> {
                // function-role messages of the deprecated functions API arrive as tool messages (ToolForms)
                String name = callNames.get(m.toolCallId());
                if (name == null && m.name() != null && !m.name().isBlank()) {
                    name = m.name();
                }
                if (name == null) {
                    throw ApiException.invalidRequest("Invalid '" + param + ".tool_call_id': no earlier assistant "
                            + "tool call has the id '" + m.toolCallId() + "'; Gemini needs the function's name, which "
                            + "Sluice takes from that call", param + ".tool_call_id");
                }
                ObjectNode response = json.objectNode();
                ObjectNode fr = response.putObject(FUNCTION_RESPONSE);
                if (m.toolCallId() != null && !m.toolCallId().startsWith(GENERATED_ID_PREFIX)) {
                    fr.put("id", m.toolCallId());
                }
                fr.put("name", name);
                fr.set("response", functionResponse(m.content(), param));
                ArrayNode parts = json.arrayNode().add(response);
                append(contents, USER, parts);
            }
            default -> throw unknownRole(m, param);
        }
    }

    /**
     * Images the model generated in an earlier turn ({@code message.images}, as Sluice returns them), sent back as
     * {@code inlineData} parts of the model turn with their thought signature, for multi-turn image editing.
     */
    private void generatedImages(JsonNode images, String param, ArrayNode parts, boolean signatures) {
        if (!images.isArray()) {
            return;
        }
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            String urlParam = param + "[" + i + "].image_url.url";
            DataUrl data = DataUrl.parse(image.path("image_url").path("url").asText("")).orElseThrow(() ->
                    Unsupported.parameter(provider, urlParam, "an image of an assistant turn goes back to Gemini "
                            + "as inline data: expected a data URL"));
            ObjectNode part = parts.addObject();
            ObjectNode inline = part.putObject(INLINE_DATA);
            inline.put("mimeType", data.mediaType());
            inline.put("data", data.base64());
            JsonNode signature = image.path(EXTRA_CONTENT).path(GOOGLE).path(THOUGHT_SIGNATURE_FIELD);
            if (signature.isTextual() && !signature.asText().isEmpty()) {
                part.put(THOUGHT_SIGNATURE, signature.asText());
            } else if (signatures) {
                part.put(THOUGHT_SIGNATURE, GeminiWire.SKIP_SIGNATURE);
            }
        }
    }

    /** Adds parts as a turn of this role, merged into the previous turn when it has the same role. */
    private static void append(ArrayNode contents, String role, ArrayNode parts) {
        appendTurn(contents, role, "parts", parts);
    }

    private ObjectNode userPart(ContentPart part, List<Pending> pending) {
        ObjectNode out = json.objectNode();
        String text = plainText(part);
        if (text != null) {
            out.put(TEXT, text);
        } else if (part instanceof ContentPart.Image image) {
            image(image, out, pending);
        } else if (part instanceof ContentPart.Audio audio) {
            String format = audio.format() == null ? "" : audio.format().toLowerCase(Locale.ROOT);
            String type = switch (format) {
                case "wav" -> "audio/wav";
                case "mp3" -> "audio/mp3";
                case "flac" -> "audio/flac";
                case "aac" -> "audio/aac";
                case "ogg" -> "audio/ogg";
                case "aiff" -> "audio/aiff";
                default -> throw Unsupported.parameter(provider, part.param() + ".input_audio.format",
                        "Gemini takes wav, mp3, flac, aac, ogg or aiff audio, not '" + audio.format() + "'");
            };
            ObjectNode inline = out.putObject(INLINE_DATA);
            inline.put("mimeType", type);
            inline.put("data", audio.data());
        } else if (part instanceof ContentPart.File file) {
            DataUrl data = fileData(file);
            ObjectNode inline = out.putObject(INLINE_DATA);
            inline.put("mimeType", data.mediaType());
            inline.put("data", data.base64());
        } else {
            throw refusal(Content.OTHER_PART, part.param() + ".type", ((ContentPart.Other) part).type());
        }
        return out;
    }

    @Override
    protected void inlineImage(ObjectNode target, String mediaType, String base64, String param) {
        ObjectNode inline = target.putObject(INLINE_DATA);
        inline.put("mimeType", mediaType);
        inline.put("data", base64);
    }

    /**
     * Gemini reads gs:// URIs, its Files API and YouTube itself, and any http(s) URL when image URLs are not
     * fetched; other images must be data URLs.
     */
    @Override
    protected boolean referenceImage(String url, String lower, ObjectNode target, String param) {
        boolean http = lower.startsWith("http://") || lower.startsWith("https://");
        if (!http && !lower.startsWith("gs://")) {
            throw ApiException.invalidRequest("Invalid '" + param + "': expected an http(s) URL or a data URL", param);
        }
        if (http && !isGoogleFile(lower) && options.fetchImageUrls()) {
            return false;
        }
        ObjectNode file = target.putObject(FILE_DATA);
        String type = mediaTypeOf(lower);
        if (type != null) {
            file.put("mimeType", type);
        }
        file.put("fileUri", url);
        return true;
    }

    /** URIs Gemini reads itself: its Files API, YouTube videos. */
    static boolean isGoogleFile(String lowerUrl) {
        return lowerUrl.startsWith("https://generativelanguage.googleapis.com/")
                || lowerUrl.startsWith("https://www.youtube.com/") || lowerUrl.startsWith("https://youtube.com/")
                || lowerUrl.startsWith("https://youtu.be/");
    }

    /** The media type a file URI's extension suggests, or null (Gemini then works it out). */
    static String mediaTypeOf(String lowerUrl) {
        int q = lowerUrl.indexOf('?');
        return mediaTypeOfPath(q >= 0 ? lowerUrl.substring(0, q) : lowerUrl);
    }

    private ObjectNode functionCall(ChatCompletionRequest.ToolCall call, JsonNode raw, String param,
                                    boolean needsSignature) {
        ChatCompletionRequest.FunctionCall function = callFunction(call, param);
        ObjectNode part = json.objectNode();
        ObjectNode fc = part.putObject(FUNCTION_CALL);
        if (call.id() != null && !call.id().startsWith(GENERATED_ID_PREFIX)) {
            fc.put("id", call.id());
        }
        fc.put("name", function.name());
        fc.set("args", toolArguments(function.arguments(), param));
        JsonNode signature = raw.path(EXTRA_CONTENT).path(GOOGLE).path(THOUGHT_SIGNATURE_FIELD);
        if (signature.isTextual() && !signature.asText().isEmpty()) {
            part.put(THOUGHT_SIGNATURE, signature.asText());
        } else if (needsSignature) {
            // the client dropped the signature: Google documents this value for histories without one
            part.put(THOUGHT_SIGNATURE, GeminiWire.SKIP_SIGNATURE);
        }
        return part;
    }

    /**
     * A tool result as Gemini's {@code response} object: a JSON object result as it is, anything else (text, a
     * JSON array or scalar, content parts) under {@code output}, the key Google documents for a function's output.
     */
    private JsonNode functionResponse(JsonNode content, String param) {
        String text;
        if (content == null || content.isNull()) {
            text = "";
        } else if (content.isTextual()) {
            text = content.asText();
        } else {
            StringBuilder joined = new StringBuilder();
            for (ContentPart part : ContentPart.parse(content, param + ".content")) {
                if (!(part instanceof ContentPart.Text t)) {
                    throw refusal(Content.TOOL_RESULT_PART, part.param(), part);
                }
                joined.append(t.text());
            }
            text = joined.toString();
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JsonNode parsed = mapper.readTree(trimmed);
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
                if (parsed != null) {
                    ObjectNode wrapped = json.objectNode();
                    wrapped.set("output", parsed);
                    return wrapped;
                }
            } catch (JsonProcessingException notJson) {
                // plain text that merely starts with a bracket
            }
        }
        ObjectNode wrapped = json.objectNode();
        wrapped.put("output", text);
        return wrapped;
    }

    // ---- tools ------------------------------------------------------------------------------------------------

    private void tools(ChatCompletionRequest request, ObjectNode tree, ObjectNode out) {
        JsonNode search = tree.get("web_search_options");
        if (search != null && search.isObject()) {
            // Grounding with Google Search; OpenAI's user_location and search_context_size have no Gemini setting
            out.putArray("tools").addObject().putObject(GeminiWire.GOOGLE_SEARCH);
        }
        if (request.tools() != null && !request.tools().isEmpty()) {
            ArrayNode tools = out.has("tools") ? (ArrayNode) out.get("tools") : out.putArray("tools");
            ArrayNode declarations = tools.insertObject(0).putArray("functionDeclarations");
            for (int i = 0; i < request.tools().size(); i++) {
                ChatCompletionRequest.FunctionDefinition function = function(request.tools().get(i),
                        "tools[" + i + "]");
                ObjectNode d = declarations.addObject();
                d.put("name", function.name());
                if (function.description() != null) {
                    d.put("description", function.description());
                }
                JsonNode parameters = function.parameters();
                if (parameters != null && parameters.isObject() && !parameters.isEmpty()) {
                    if (options.jsonSchema()) {
                        d.set("parametersJsonSchema", GeminiSchema.toJsonSchemaSubset(parameters, json));
                    } else {
                        d.set("parameters", GeminiSchema.toOpenApi(parameters, json));
                    }
                }
            }
        }
        JsonNode choice = request.toolChoice();
        if (choice == null || choice.isNull()) {
            return;
        }
        ObjectNode calling = json.objectNode();
        if (choice.isTextual()) {
            calling.put("mode", switch (choice.asText()) {
                case "auto" -> GeminiWire.AUTO;
                case "none" -> GeminiWire.NONE;
                case "required" -> GeminiWire.ANY;
                default -> throw ApiException.invalidRequest("Invalid 'tool_choice': expected auto, none, required "
                        + "or a named function", "tool_choice");
            });
        } else {
            String name = choice.path("function").path("name").asText("");
            if (!choice.isObject() || !"function".equals(choice.path("type").asText()) || name.isEmpty()) {
                throw ApiException.invalidRequest("Invalid 'tool_choice': expected auto, none, required or "
                        + "{\"type\": \"function\", \"function\": {\"name\": ...}}", "tool_choice");
            }
            calling.put("mode", GeminiWire.ANY);
            calling.putArray("allowedFunctionNames").add(name);
        }
        out.putObject("toolConfig").set("functionCallingConfig", calling);
    }

    // ---- generation config ------------------------------------------------------------------------------------

    private ObjectNode generationConfig(ChatCompletionRequest request, ObjectNode tree, String model) {
        ObjectNode config = json.objectNode();
        JsonNode modalities = tree.get("modalities");
        if (modalities != null && modalities.isArray() && !modalities.isEmpty()) {
            ArrayNode response = config.putArray(GeminiWire.RESPONSE_MODALITIES);
            modalities.forEach(m -> response.add(m.asText().toUpperCase(Locale.ROOT)));
        }
        ArrayNode stop = stopSequences(request);
        if (stop != null) {
            config.set("stopSequences", stop);
        }
        if (request.n() != null && request.n() > 1) {
            config.put("candidateCount", request.n());
        }
        putIfSet(config, "maxOutputTokens", request.outputTokenLimit());
        putIfSet(config, "temperature", request.temperature());
        putIfSet(config, "topP", request.topP());
        putIfSet(config, "topK", request.topK());
        if (request.seed() != null) {
            config.put("seed", request.seed().intValue());
        }
        if (request.presencePenalty() != null) {
            config.put("presencePenalty", request.presencePenalty());
        }
        if (request.frequencyPenalty() != null) {
            config.put("frequencyPenalty", request.frequencyPenalty());
        }
        if (Boolean.TRUE.equals(request.logprobs())) {
            config.put("responseLogprobs", true);
            if (request.topLogprobs() != null) {
                config.put("logprobs", request.topLogprobs());
            }
        }
        responseFormat(request, config);
        thinking(request, model, config);
        return config;
    }

    private void responseFormat(ChatCompletionRequest request, ObjectNode config) {
        ChatCompletionRequest.ResponseFormat format = request.responseFormat();
        if (format == null || "text".equals(format.type())) {
            return;
        }
        config.put("responseMimeType", "application/json");
        if ("json_schema".equals(format.type())) {
            JsonNode schema = responseSchema(format);
            if (options.jsonSchema()) {
                config.set("responseJsonSchema", GeminiSchema.toJsonSchemaSubset(schema, json));
            } else {
                config.set("responseSchema", GeminiSchema.toOpenApi(schema, json));
            }
        }
    }

    private void thinking(ChatCompletionRequest request, String model, ObjectNode config) {
        String effort = request.reasoningEffort();
        if (effort == null) {
            return;
        }
        ObjectNode thinking = config.putObject("thinkingConfig");
        if (options.thinkingLevel(model)) {
            thinking.put("thinkingLevel", options.thinkingLevels().get(effort));
        } else {
            thinking.put("thinkingBudget", options.thinkingBudgets().get(effort));
        }
        // the client asked for reasoning: return Gemini's thought summaries as reasoning_content
        thinking.put("includeThoughts", !"none".equals(effort));
    }
}
