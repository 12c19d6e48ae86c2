package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Converts a JSON Schema (as OpenAI clients send for {@code response_format} and tool parameters) into the
 * OpenAPI 3.0 subset of Gemini's {@code Schema} object, for {@code schema-mode=openapi}. What Gemini's Schema
 * cannot express is removed rather than failing the request:
 *
 * <ul>
 *   <li>kept: {@code type} (a type list with {@code "null"} becomes the type plus {@code nullable}),
 *       {@code format}, {@code title}, {@code description}, {@code nullable}, {@code enum} (as strings),
 *       {@code properties}, {@code required} (only names that are properties), {@code items},
 *       {@code minItems}/{@code maxItems}, {@code minimum}/{@code maximum}, {@code minLength}/{@code maxLength},
 *       {@code pattern}, {@code minProperties}/{@code maxProperties}, {@code anyOf}, {@code propertyOrdering},
 *       {@code default}, {@code example};</li>
 *   <li>rewritten: {@code const} → a one-value {@code enum}; {@code oneOf} → {@code anyOf}; {@code $ref} to
 *       {@code $defs}/{@code definitions} → the definition inlined (recursion cut at a fixed depth);
 *       {@code allOf} of one schema → that schema;</li>
 *   <li>removed: {@code $schema}, {@code $id}, {@code $defs}, {@code additionalProperties}, {@code not},
 *       {@code patternProperties}, {@code if}/{@code then}/{@code else}, {@code dependencies} and any other keyword.</li>
 * </ul>
 */
final class GeminiSchema {

    private static final Set<String> COPIED = Set.of("format", "title", "description", "nullable", "minItems",
            "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "minProperties", "maxProperties",
            "propertyOrdering", "default", "example");
    private static final int MAX_REF_DEPTH = 8;

    private final JsonNodeFactory json;
    private final JsonNode root;

    private GeminiSchema(JsonNodeFactory json, JsonNode root) {
        this.json = json;
        this.root = root;
    }

    /** The Gemini Schema for a JSON Schema; a missing or non-object schema gives an empty object schema. */
    static ObjectNode toOpenApi(JsonNode schema, JsonNodeFactory json) {
        if (schema == null || !schema.isObject()) {
            ObjectNode empty = json.objectNode();
            empty.put("type", "object");
            return empty;
        }
        return new GeminiSchema(json, schema).convert(schema, 0);
    }

    private ObjectNode convert(JsonNode schema, int depth) {
        ObjectNode out = json.objectNode();
        if (schema == null || !schema.isObject()) {
            return out;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            JsonNode target = resolve(ref.asText());
            if (target != null && depth < MAX_REF_DEPTH) {
                ObjectNode inlined = convert(target, depth + 1);
                if (schema.hasNonNull("description")) {
                    inlined.set("description", schema.get("description"));
                }
                return inlined;
            }
            out.put("type", "object");
            return out;
        }
        JsonNode allOf = schema.get("allOf");
        if (allOf != null && allOf.isArray() && allOf.size() == 1) {
            return convert(allOf.get(0), depth);
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            String single = null;
            boolean nullable = false;
            for (JsonNode t : type) {
                if ("null".equals(t.asText())) {
                    nullable = true;
                } else if (single == null) {
                    single = t.asText();
                }
            }
            if (single != null) {
                out.put("type", single);
            }
            if (nullable) {
                out.put("nullable", true);
            }
        } else if (type != null && type.isTextual()) {
            if ("null".equals(type.asText())) {
                out.put("nullable", true);
            } else {
                out.put("type", type.asText());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (COPIED.contains(key)) {
                out.set(key, value);
            }
        }
        JsonNode constant = schema.get("const");
        JsonNode values = schema.get("enum");
        if (constant != null && !constant.isNull()) {
            out.putArray("enum").add(constant.asText());
            if (!out.has("type")) {
                out.put("type", "string");
            }
        } else if (values != null && values.isArray()) {
            ArrayNode e = out.putArray("enum");
            for (JsonNode v : values) {
                if (v.isNull()) {
                    out.put("nullable", true);
                } else {
                    e.add(v.asText());
                }
            }
            // Gemini's enum is a list of strings: an enum of numbers is described as strings
            out.put("type", "string");
            if (!out.has("format")) {
                out.put("format", "enum");
            }
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            ObjectNode props = out.putObject("properties");
            properties.fields().forEachRemaining(p -> props.set(p.getKey(), convert(p.getValue(), depth)));
            JsonNode required = schema.get("required");
            if (required != null && required.isArray()) {
                ArrayNode req = json.arrayNode();
                for (JsonNode r : required) {
                    if (props.has(r.asText())) {
                        req.add(r.asText());
                    }
                }
                if (!req.isEmpty()) {
                    out.set("required", req);
                }
            }
            if (!out.has("type")) {
                out.put("type", "object");
            }
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isObject()) {
            out.set("items", convert(items, depth));
        } else if (items != null && items.isArray() && !items.isEmpty()) {
            out.set("items", convert(items.get(0), depth));
        }
        JsonNode union = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
        if (union != null && union.isArray()) {
            ArrayNode any = json.arrayNode();
            for (JsonNode option : union) {
                if ("null".equals(option.path("type").asText())) {
                    out.put("nullable", true);
                } else {
                    any.add(convert(option, depth));
                }
            }
            if (any.size() == 1 && !out.has("type")) {
                ObjectNode only = (ObjectNode) any.get(0);
                only.setAll(out);
                return only;
            }
            if (!any.isEmpty()) {
                out.set("anyOf", any);
            }
        }
        return out;
    }

    /** A local reference: {@code #/$defs/Name}, {@code #/definitions/Name} or any JSON pointer into the root. */
    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }
}
