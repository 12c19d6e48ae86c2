package dev.sluice.openai;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One part of an OpenAI message's {@code content}, typed for translating adapters. A string content is one
 * {@link Text}; an array gives one part per element. Every part knows where it sits in the request
 * ({@link #param()}, e.g. {@code messages[2].content[1]}) so that an adapter refusing it can name it, and carries
 * the {@code cache_control} marker clients attach for providers with prompt caching (null when absent).
 *
 * <p>Parsing checks only what OpenAI's format requires (an image part has a URL, ...); whether a provider can
 * take a part is the adapter's decision.
 */
public sealed interface ContentPart {

    /** Where the part sits in the request, in OpenAI's param notation. */
    String param();

    /** The part's {@code cache_control} object, or null. */
    JsonNode cacheControl();

    /** {@code {"type": "text", "text": ...}}, or a string content. */
    record Text(String text, JsonNode cacheControl, String param) implements ContentPart {
    }

    /** {@code {"type": "image_url", "image_url": {"url", "detail"}}}; the URL is http(s) or a data URL. */
    record Image(String url, String detail, JsonNode cacheControl, String param) implements ContentPart {
        public boolean inline() {
            return DataUrl.isDataUrl(url);
        }
    }

    /** {@code {"type": "input_audio", "input_audio": {"data", "format"}}}. */
    record Audio(String data, String format, JsonNode cacheControl, String param) implements ContentPart {
    }

    /** {@code {"type": "file", "file": {"file_data" | "file_id", "filename"}}}. */
    record File(String fileData, String fileId, String filename, JsonNode cacheControl, String param)
            implements ContentPart {
    }

    /** {@code {"type": "refusal", "refusal": ...}} in an assistant message. */
    record Refusal(String refusal, JsonNode cacheControl, String param) implements ContentPart {
    }

    /** Any other part type, kept raw. */
    record Other(String type, JsonNode raw, String param) implements ContentPart {
        @Override
        public JsonNode cacheControl() {
            return raw.get("cache_control");
        }
    }

    /**
     * The parts of a message content.
     *
     * @param content a string, an array of parts, or null/missing (no parts)
     * @param param   where the content sits, e.g. {@code messages[2].content}
     */
    static List<ContentPart> parse(JsonNode content, String param) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return List.of();
        }
        if (content.isTextual()) {
            return List.of(new Text(content.asText(), null, param));
        }
        if (!content.isArray()) {
            throw ApiException.invalidRequest("Invalid '" + param + "': expected a string or an array of content parts",
                    param);
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            parts.add(part(content.get(i), param + "[" + i + "]"));
        }
        return parts;
    }

    private static ContentPart part(JsonNode part, String param) {
        String type = part.path("type").asText("");
        JsonNode cache = part.get("cache_control");
        switch (type) {
            case "text" -> {
                return new Text(required(part, "text", param), cache, param);
            }
            case "image_url" -> {
                JsonNode image = part.path("image_url");
                // older clients send the URL as a plain string
                String url = image.isTextual() ? image.asText() : required(image, "url", param + ".image_url");
                String detail = image.path("detail").isTextual() ? image.path("detail").asText() : null;
                return new Image(url, detail, cache, param);
            }
            case "input_audio" -> {
                JsonNode audio = part.path("input_audio");
                return new Audio(required(audio, "data", param + ".input_audio"),
                        audio.path("format").asText(null), cache, param);
            }
            case "file" -> {
                JsonNode file = part.path("file");
                String data = file.path("file_data").isTextual() ? file.path("file_data").asText() : null;
                String id = file.path("file_id").isTextual() ? file.path("file_id").asText() : null;
                if (data == null && id == null) {
                    throw ApiException.invalidRequest("Invalid '" + param + ".file': needs 'file_data' or 'file_id'",
                            param + ".file");
                }
                return new File(data, id, file.path("filename").asText(null), cache, param);
            }
            case "refusal" -> {
                return new Refusal(required(part, "refusal", param), cache, param);
            }
            default -> {
                return new Other(type, part, param);
            }
        }
    }

    private static String required(JsonNode node, String field, String param) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.invalidRequest("Invalid '" + param + "." + field + "': expected a string",
                    param + "." + field);
        }
        return value.asText();
    }
}
