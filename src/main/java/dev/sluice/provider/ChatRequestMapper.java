package dev.sluice.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ContentPart;
import dev.sluice.openai.DataUrl;
import dev.sluice.provider.ParameterPolicy.Content;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The base of a request mapper that translates an OpenAI chat request into another protocol: the steps every such
 * translation takes the same way (refusing by the adapter's {@link ParameterPolicy}, reading system text, assistant
 * text, tool-call arguments, stop sequences, function tools, merging same-role turns), so that each adapter's mapper
 * holds only what its upstream does differently. Subclasses stay pure: no I/O, no framework.
 */
public abstract class ChatRequestMapper {

    /** The description of the forced tool through which upstreams without a JSON mode return a JSON answer. */
    public static final String JSON_TOOL_DESCRIPTION = "Give the final answer by calling this tool: its input is the "
            + "answer, as JSON matching the schema.";
    /** The forced tool's name when the client's schema has no usable name. */
    protected static final String JSON_TOOL = "json_answer";

    protected final String provider;
    protected final ParameterPolicy policy;
    protected final ObjectMapper mapper;
    protected final JsonNodeFactory json;
    private final String upstream;

    /**
     * @param provider the configured provider name, named in 400s
     * @param upstream the upstream's name in messages, e.g. "Anthropic"
     * @param policy   what the upstream supports
     */
    protected ChatRequestMapper(String provider, String upstream, ParameterPolicy policy, ObjectMapper mapper) {
        this.provider = provider;
        this.upstream = upstream;
        this.policy = policy;
        this.mapper = mapper;
        this.json = mapper.getNodeFactory();
    }

    /** Fails with the 400 of the first parameter the upstream cannot honour. */
    protected void checkParameters(ChatCompletionRequest request, ObjectNode tree) {
        policy.check(provider, request, tree);
    }

    /** The 400 for content the upstream cannot take. */
    protected ApiException refusal(Content what, String param, Object value) {
        return policy.refusal(provider, what, param, value);
    }

    /** The text parts of a system or developer message; any other part is refused. */
    protected List<ContentPart.Text> systemText(ChatCompletionRequest.Message m, String param) {
        List<ContentPart.Text> texts = new ArrayList<>();
        for (ContentPart part : ContentPart.parse(m.content(), param + ".content")) {
            if (!(part instanceof ContentPart.Text text)) {
                throw refusal(Content.SYSTEM_PART, part.param(), part);
            }
            texts.add(text);
        }
        return texts;
    }

    /**
     * The text of an assistant message, part by part (empty texts skipped, refusals as text, a lone
     * {@code refusal} field when there is no content); any other part is refused.
     *
     * @param add receives each text and its {@code cache_control} (or null)
     */
    protected void assistantText(ChatCompletionRequest.Message m, String param, BiConsumer<String, JsonNode> add) {
        for (ContentPart part : ContentPart.parse(m.content(), param + ".content")) {
            if (part instanceof ContentPart.Text text) {
                if (!text.text().isEmpty()) {
                    add.accept(text.text(), text.cacheControl());
                }
            } else if (part instanceof ContentPart.Refusal refusal) {
                add.accept(refusal.refusal(), refusal.cacheControl());
            } else {
                throw refusal(Content.ASSISTANT_PART, part.param(), part);
            }
        }
        if (m.refusal() != null && !m.refusal().isEmpty() && (m.content() == null || m.content().isNull())) {
            add.accept(m.refusal(), null);
        }
    }

    /** The 400 for a message role the upstream has no place for. */
    protected ApiException unknownRole(ChatCompletionRequest.Message m, String param) {
        return refusal(Content.ROLE, param + ".role", m.role());
    }

    /** The function of an assistant tool call, which must be there. */
    protected static ChatCompletionRequest.FunctionCall callFunction(ChatCompletionRequest.ToolCall call,
                                                                     String param) {
        if (call.function() == null) {
            throw ApiException.invalidRequest("Invalid '" + param + ".function': is required", param + ".function");
        }
        return call.function();
    }

    /** A tool call's arguments as the JSON object upstreams take (empty: an empty object). */
    protected JsonNode toolArguments(String arguments, String param) {
        if (arguments == null || arguments.isBlank()) {
            return json.objectNode();
        }
        JsonNode args;
        try {
            args = mapper.readTree(arguments);
        } catch (JsonProcessingException e) {
            args = null;
        }
        if (args == null || !args.isObject()) {
            throw ApiException.invalidRequest("Invalid '" + param + ".function.arguments': " + upstream + " needs the "
                    + "arguments as a JSON object", param + ".function.arguments");
        }
        return args;
    }

    /** The function of a declared tool; other tool types are refused. */
    protected ChatCompletionRequest.FunctionDefinition function(ChatCompletionRequest.Tool tool, String param) {
        if (!"function".equals(tool.type())) {
            throw refusal(Content.TOOL_TYPE, param + ".type", tool.type());
        }
        if (tool.function() == null) {
            throw ApiException.invalidRequest("Invalid '" + param + ".function': is required", param + ".function");
        }
        return tool.function();
    }

    /** {@code stop} as a list of sequences, or null when there is none. */
    protected ArrayNode stopSequences(ChatCompletionRequest request) {
        JsonNode stop = request.stop();
        if (stop == null || stop.isNull()) {
            return null;
        }
        ArrayNode sequences = json.arrayNode();
        if (stop.isTextual()) {
            sequences.add(stop.asText());
        } else {
            stop.forEach(s -> sequences.add(s.asText()));
        }
        return sequences.isEmpty() ? null : sequences;
    }

    /** An image data URL, which must be well formed. */
    protected static DataUrl imageData(String url, String param) {
        return DataUrl.parse(url).orElseThrow(() -> ApiException.invalidRequest(
                "Invalid '" + param + "': not a well-formed data URL", param));
    }

    /** A file part's data URL; a file sent by OpenAI file id is refused. */
    protected DataUrl fileData(ContentPart.File file) {
        if (file.fileData() == null) {
            throw refusal(Content.FILE_ID, file.param() + ".file.file_id", null);
        }
        return DataUrl.parse(file.fileData()).orElseThrow(() -> ApiException.invalidRequest(
                "Invalid '" + file.param() + ".file.file_data': expected a data URL", file.param() + ".file.file_data"));
    }

    /**
     * Adds {@code items} as a turn of {@code role} to {@code turns}, merged into the last turn when it has the same
     * role (the upstreams that want turns to alternate).
     *
     * @param field the turn's list field ({@code content}, {@code parts})
     */
    protected static void appendTurn(ArrayNode turns, String role, String field, ArrayNode items) {
        if (items.isEmpty()) {
            return;
        }
        if (!turns.isEmpty()) {
            ObjectNode last = (ObjectNode) turns.get(turns.size() - 1);
            if (role.equals(last.path("role").asText())) {
                ((ArrayNode) last.get(field)).addAll(items);
                return;
            }
        }
        ObjectNode turn = turns.addObject();
        turn.put("role", role);
        turn.set(field, items);
    }

    /** The schema of a {@code json_schema} response format, which must be a JSON object. */
    protected static JsonNode responseSchema(ChatCompletionRequest.ResponseFormat format) {
        if (format.jsonSchema() == null || format.jsonSchema().schema() == null
                || !format.jsonSchema().schema().isObject()) {
            throw ApiException.invalidRequest("Invalid 'response_format.json_schema.schema': a JSON Schema object "
                    + "is required", "response_format.json_schema.schema");
        }
        return format.jsonSchema().schema();
    }

    /** The forced tool's name for a {@code json_schema} response format: the schema's name where a tool may bear it. */
    protected static String jsonToolName(ChatCompletionRequest.ResponseFormat format) {
        String name = format.jsonSchema().name();
        return name.matches("[a-zA-Z0-9_-]{1,64}") ? name : JSON_TOOL;
    }

    /** The text of a text or refusal part, or null for any other part. */
    protected static String plainText(ContentPart part) {
        if (part instanceof ContentPart.Text text) {
            return text.text();
        }
        return part instanceof ContentPart.Refusal refusal ? refusal.refusal() : null;
    }

    /** Sets a sampling setting the client gave; leaves it out when it did not. */
    protected static void putIfSet(ObjectNode out, String field, Number value) {
        if (value instanceof Integer i) {
            out.put(field, i);
        } else if (value instanceof Long l) {
            out.put(field, l);
        } else if (value != null) {
            out.put(field, value.doubleValue());
        }
    }

    /** The media types of the file extensions an image or document URL may end with. */
    private static final Map<String, String> MEDIA_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp", "heic", "image/heic", "heif", "image/heif",
            "pdf", "application/pdf");

    /** The media type a (lower-case) path's extension suggests, or null. */
    protected static String mediaTypeOfPath(String lowerPath) {
        int dot = lowerPath.lastIndexOf('.');
        return dot < 0 ? null : MEDIA_TYPES.get(lowerPath.substring(dot + 1));
    }

    /** A client field the upstream reads as it is, under its own name or its snake_case spelling. */
    protected static JsonNode nativeField(ObjectNode tree, String name, String snake) {
        return tree.has(name) ? tree.get(name) : tree.get(snake);
    }
}
