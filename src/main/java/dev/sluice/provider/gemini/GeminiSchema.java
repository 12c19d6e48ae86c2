package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Fits the JSON Schemas OpenAI clients send ({@code response_format}, tool parameters) to what Gemini accepts.
 * Whatever Gemini cannot take is removed or rewritten rather than failing the request, in both schema modes:
 *
 * <ul>
 *   <li>{@link #toJsonSchemaSubset} ({@code schema-mode=json-schema}, the default, for {@code responseJsonSchema} /
 *       {@code parametersJsonSchema}): Google's documented JSON Schema subset — {@code $id}, {@code $defs},
 *       {@code $ref}, {@code $anchor}, {@code type}, {@code format}, {@code title}, {@code description},
 *       {@code enum} (strings and numbers), {@code items}, {@code prefixItems}, {@code minItems}/{@code maxItems},
 *       {@code minimum}/{@code maximum}, {@code anyOf}, {@code oneOf}, {@code properties},
 *       {@code additionalProperties}, {@code required}, {@code propertyOrdering}. Rewritten: {@code const} → a
 *       one-value {@code enum}; an enum of booleans → {@code type: boolean}; {@code definitions} →
 *       {@code $defs} (references follow); {@code allOf} → its schemas merged; a {@code $ref} loses its siblings
 *       (Gemini allows none but {@code $} keys); a tuple {@code items} array → {@code prefixItems}. Removed:
 *       every other keyword ({@code default}, {@code examples}, {@code pattern}, {@code minLength} /
 *       {@code maxLength}, {@code exclusiveMinimum}, {@code multipleOf}, {@code uniqueItems}, {@code not},
 *       {@code $schema}, {@code nullable}...).</li>
 *   <li>{@link #toOpenApi} ({@code schema-mode=openapi}, for {@code responseSchema} / {@code parameters}):
 *       the OpenAPI 3.0 subset of Gemini's {@code Schema} object, described below.</li>
 * </ul>
 *
 * The OpenAPI conversion:
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

    /** Keywords of Google's JSON Schema subset copied as they are. */
    private static final Set<String> SUBSET_COPIED = Set.of("$id", "$anchor", "type", "format", "title",
            "description", "minItems", "maxItems", "minimum", "maximum", "propertyOrdering");
    private static final String DEFS = "$defs";
    private static final String DEFINITIONS = "definitions";

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

    /**
     * The JSON Schema reduced to the subset Gemini documents for {@code responseJsonSchema} and
     * {@code parametersJsonSchema}; a missing or non-object schema gives an empty object schema.
     */
    static ObjectNode toJsonSchemaSubset(JsonNode schema, JsonNodeFactory json) {
        if (schema == null || !schema.isObject()) {
            ObjectNode empty = json.objectNode();
            empty.put("type", "object");
            return empty;
        }
        return new GeminiSchema(json, schema).subset(schema, 0);
    }

    private ObjectNode subset(JsonNode schema, int depth) {
        ObjectNode out = json.objectNode();
        if (schema == null || !schema.isObject()) {
            return out;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            out.put("$ref", localRef(ref.asText()));
            // Gemini takes no sibling of a $ref but "$" keywords; definitions kept where they were declared
            defs(schema, out, depth);
            return out;
        }
        JsonNode allOf = schema.get("allOf");
        if (allOf != null && allOf.isArray() && !allOf.isEmpty() && depth < MAX_REF_DEPTH) {
            return subset(mergeAllOf((ObjectNode) schema, allOf), depth + 1);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "enum" -> {
                    ArrayNode values = scalars(value);
                    if (!values.isEmpty()) {
                        out.set("enum", values);
                    } else if (value.isArray() && !value.isEmpty() && !schema.has("type")
                            && allBooleans(value)) {
                        // Gemini's enum takes strings and numbers: an enum of booleans is a boolean
                        out.put("type", "boolean");
                    }
                }
                case "const" -> {
                    if (value.isTextual() || value.isNumber()) {
                        out.putArray("enum").add(value);
                    }
                }
                case "properties" -> {
                    if (value.isObject()) {
                        ObjectNode props = out.putObject("properties");
                        value.fields().forEachRemaining(p -> props.set(p.getKey(), subset(p.getValue(), depth)));
                    }
                }
                case "additionalProperties" -> {
                    if (value.isBoolean()) {
                        out.set(key, value);
                    } else if (value.isObject()) {
                        out.set(key, subset(value, depth));
                    }
                }
                case "items" -> {
                    if (value.isObject()) {
                        out.set("items", subset(value, depth));
                    } else if (value.isArray()) {
                        out.set("prefixItems", subsets(value, depth));
                    }
                }
                case "prefixItems", "anyOf", "oneOf" -> {
                    if (value.isArray()) {
                        out.set(key, subsets(value, depth));
                    }
                }
                default -> {
                    if (SUBSET_COPIED.contains(key)) {
                        out.set(key, value);
                    }
                }
            }
        }
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            ArrayNode names = json.arrayNode();
            JsonNode props = out.path("properties");
            for (JsonNode r : required) {
                if (r.isTextual() && (!props.isObject() || props.has(r.asText()))) {
                    names.add(r);
                }
            }
            if (!names.isEmpty()) {
                out.set("required", names);
            }
        }
        defs(schema, out, depth);
        return out;
    }

    private ArrayNode subsets(JsonNode schemas, int depth) {
        ArrayNode out = json.arrayNode();
        schemas.forEach(s -> out.add(subset(s, depth)));
        return out;
    }

    /** {@code $defs} and draft-7 {@code definitions}, both as {@code $defs}. */
    private void defs(JsonNode schema, ObjectNode out, int depth) {
        for (String key : new String[]{DEFS, DEFINITIONS}) {
            JsonNode defs = schema.get(key);
            if (defs != null && defs.isObject()) {
                ObjectNode target = out.has(DEFS) ? (ObjectNode) out.get(DEFS) : out.putObject(DEFS);
                defs.fields().forEachRemaining(d -> target.set(d.getKey(), subset(d.getValue(), depth)));
            }
        }
    }

    /** References into {@code definitions} point into {@code $defs}, where the definitions now are. */
    private static String localRef(String ref) {
        String old = "#/" + DEFINITIONS + "/";
        return ref.startsWith(old) ? "#/" + DEFS + "/" + ref.substring(old.length()) : ref;
    }

    private static boolean allBooleans(JsonNode values) {
        for (JsonNode v : values) {
            if (!v.isBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** The values of an enum Gemini takes: strings and numbers. */
    private ArrayNode scalars(JsonNode values) {
        ArrayNode out = json.arrayNode();
        if (values.isArray()) {
            values.forEach(v -> {
                if (v.isTextual() || v.isNumber()) {
                    out.add(v);
                }
            });
        }
        return out;
    }

    /**
     * The schema with its {@code allOf} folded in: a lone member merged with the siblings (a lone {@code $ref}
     * stays a reference), several members merged field by field (their properties and required names joined;
     * members that are references resolved first).
     */
    private JsonNode mergeAllOf(ObjectNode schema, JsonNode allOf) {
        ObjectNode siblings = schema.deepCopy();
        siblings.remove("allOf");
        if (allOf.size() == 1 && allOf.get(0).path("$ref").isTextual()) {
            ObjectNode reference = json.objectNode();
            reference.set("$ref", allOf.get(0).get("$ref"));
            for (String key : new String[]{DEFS, DEFINITIONS}) {
                if (siblings.has(key)) {
                    reference.set(key, siblings.get(key));
                }
            }
            return reference;
        }
        ObjectNode merged = siblings;
        for (JsonNode member : allOf) {
            JsonNode m = member;
            if (m.path("$ref").isTextual()) {
                JsonNode target = resolve(m.get("$ref").asText());
                m = target == null ? json.objectNode() : target;
            }
            if (!m.isObject()) {
                continue;
            }
            final ObjectNode into = merged;
            m.fields().forEachRemaining(f -> {
                String key = f.getKey();
                JsonNode value = f.getValue();
                if ("properties".equals(key) && value.isObject() && into.path(key).isObject()) {
                    ((ObjectNode) into.get(key)).setAll((ObjectNode) value.deepCopy());
                } else if ("required".equals(key) && value.isArray() && into.path(key).isArray()) {
                    ((ArrayNode) into.get(key)).addAll((ArrayNode) value.deepCopy());
                } else if (!into.has(key)) {
                    into.set(key, value.deepCopy());
                }
            });
        }
        return merged;
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
