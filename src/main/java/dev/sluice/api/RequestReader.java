package dev.sluice.api;

import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.EmbeddingsRequest;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.EmbeddingsBody;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns request bytes into a {@link WireBody}: parses the JSON once, binds the typed view strictly (no string to
 * number coercion, no silently truncated floats) and validates it with Hibernate Validator. Every failure is a
 * 400 naming the offending field in OpenAI's {@code param} notation ({@code messages[0].role}).
 */
@ApplicationScoped
public class RequestReader {

    private final ObjectMapper mapper;
    private final ObjectMapper strict;
    private final ObjectMapper exact;
    private final Validator validator;

    @Inject
    public RequestReader(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
        this.strict = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        this.exact = strict.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public ChatBody chat(byte[] raw) {
        ObjectNode tree = parse(raw);
        ChatCompletionRequest view = bind(tree, ChatCompletionRequest.class);
        validate(view);
        checkMessages(view);
        return new ChatBody(raw, tree, view, t -> bind(t, ChatCompletionRequest.class));
    }

    /**
     * A chat request built by Sluice itself (an ingress's translation of another protocol): validated like a client's,
     * never forwarded as bytes (there are none), so every upstream receives the tree.
     */
    public ChatBody chat(ObjectNode tree) {
        ChatCompletionRequest view = bind(tree, ChatCompletionRequest.class);
        validate(view);
        checkMessages(view);
        return new ChatBody(null, tree, view, t -> bind(t, ChatCompletionRequest.class));
    }

    public EmbeddingsBody embeddings(byte[] raw) {
        ObjectNode tree = parse(raw);
        EmbeddingsRequest view = bind(tree, EmbeddingsRequest.class);
        validate(view);
        JsonNode input = view.input();
        if (!(input.isTextual() || input.isArray()) || (input.isArray() && input.isEmpty())) {
            throw ApiException.invalidRequest(
                    "'input' must be a string, an array of strings or an array of token arrays, and not empty", "input");
        }
        return new EmbeddingsBody(raw, tree, view, t -> bind(t, EmbeddingsRequest.class));
    }

    /** Parses a JSON object body; anything else is a 400. */
    public ObjectNode parse(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw ApiException.invalidRequest("The request body is empty; expected a JSON object", null);
        }
        JsonNode node;
        try {
            node = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw ApiException.invalidRequest("The request body is not valid JSON" + where + ": "
                    + firstLine(e.getOriginalMessage()), null, "invalid_json");
        } catch (IOException e) {
            throw ApiException.invalidRequest("The request body could not be read", null, "invalid_json");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalidRequest("The request body must be a JSON object", null, "invalid_json");
        }
        return (ObjectNode) node;
    }

    /** Binds a tree to a typed view; a type mismatch is a 400 naming the field. */
    public <T> T bind(ObjectNode tree, Class<T> type) {
        return bind(strict, tree, type);
    }

    /** Like {@link #bind} for Sluice's own APIs, where an unknown field is a 400 rather than ignored. */
    public <T> T bindExact(ObjectNode tree, Class<T> type) {
        return bind(exact, tree, type);
    }

    private <T> T bind(ObjectMapper with, ObjectNode tree, Class<T> type) {
        try {
            return with.treeToValue(tree, type);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            String param = path(e.getPath());
            throw ApiException.invalidRequest("Unknown parameter '" + param + "'", param, "unknown_parameter");
        } catch (MismatchedInputException e) {
            String param = path(e.getPath());
            throw ApiException.invalidRequest("Invalid type for '" + param + "': expected " + describe(e.getTargetType()),
                    param);
        } catch (JsonMappingException e) {
            String param = path(e.getPath());
            throw ApiException.invalidRequest("Invalid value for '" + param + "': " + firstLine(e.getOriginalMessage()),
                    param);
        } catch (JsonProcessingException e) {
            throw ApiException.invalidRequest("The request body could not be read: " + firstLine(e.getOriginalMessage()),
                    null);
        }
    }

    /** Validates a bound view; the first violation (in field order) becomes the 400. */
    public <T> void validate(T view) {
        Set<ConstraintViolation<T>> violations = validator.validate(view);
        if (violations.isEmpty()) {
            return;
        }
        ConstraintViolation<T> first = violations.stream()
                .min(Comparator.comparing(v -> param(v.getPropertyPath())))
                .orElseThrow();
        String param = param(first.getPropertyPath());
        Object value = first.getInvalidValue();
        String shown = value == null || value instanceof Collection<?> || value instanceof Map<?, ?>
                || value.getClass().isRecord() ? "" : " (got " + abbreviate(String.valueOf(value)) + ")";
        String message = first.getMessage();
        if (value == null && message.startsWith("must not be")) {
            message = "is required";
        }
        throw ApiException.invalidRequest("Invalid '" + param + "': " + message + shown, param);
    }

    /** Rules across fields that a single-field constraint cannot express. */
    private static void checkMessages(ChatCompletionRequest view) {
        List<ChatCompletionRequest.Message> messages = view.messages();
        for (int i = 0; i < messages.size(); i++) {
            ChatCompletionRequest.Message m = messages.get(i);
            JsonNode content = m.content();
            boolean hasContent = content != null && !content.isNull();
            if (hasContent && !content.isTextual() && !content.isArray()) {
                throw ApiException.invalidRequest("Invalid 'messages[" + i + "].content': expected a string or an "
                        + "array of content parts", "messages[" + i + "].content");
            }
            if (hasContent && content.isArray()) {
                for (int j = 0; j < content.size(); j++) {
                    if (!content.get(j).isObject() || !content.get(j).path("type").isTextual()) {
                        String p = "messages[" + i + "].content[" + j + "]";
                        throw ApiException.invalidRequest("Invalid '" + p + "': each content part needs a 'type'", p);
                    }
                }
            }
            switch (m.role()) {
                case "tool" -> {
                    if (m.toolCallId() == null || m.toolCallId().isBlank()) {
                        String p = "messages[" + i + "].tool_call_id";
                        throw ApiException.invalidRequest("Invalid '" + p + "': a tool message needs the id of the "
                                + "tool call it answers", p);
                    }
                }
                case "assistant" -> {
                    if (!hasContent && (m.toolCalls() == null || m.toolCalls().isEmpty()) && m.refusal() == null
                            && m.functionCall() == null) {
                        String p = "messages[" + i + "].content";
                        throw ApiException.invalidRequest("Invalid '" + p + "': an assistant message needs content "
                                + "or tool_calls", p);
                    }
                }
                default -> {
                    if (!hasContent) {
                        String p = "messages[" + i + "].content";
                        throw ApiException.invalidRequest("Invalid '" + p + "': is required for role '" + m.role()
                                + "'", p);
                    }
                }
            }
        }
        JsonNode stop = view.stop();
        if (stop != null && !stop.isNull() && !stop.isTextual()) {
            boolean ok = stop.isArray();
            if (ok) {
                for (JsonNode s : stop) {
                    ok &= s.isTextual();
                }
            }
            if (!ok) {
                throw ApiException.invalidRequest("Invalid 'stop': expected a string or an array of strings", "stop");
            }
        }
    }

    /** OpenAI's param notation for a violation path: {@code messages[0].tool_calls[1].function.name}. */
    static String param(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getIndex() != null) {
                    out.append('[').append(node.getIndex()).append(']');
                }
                continue;
            }
            if (node.getIndex() != null && out.length() > 0) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(snake(node.getName()));
            }
        }
        return out.toString();
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl));
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
