package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.parse;

/**
 * JSON Schemas as OpenAI clients write them (Pydantic / Zod output with $defs, unions, nullable types, const,
 * additionalProperties) fitted to Gemini, unsupported keywords removed: reduced to Google's documented JSON Schema
 * subset ({@code schema-mode=json-schema}, the default) or converted to Gemini's OpenAPI subset
 * ({@code schema-mode=openapi}).
 */
class GeminiSchemaTest {

    @Test
    void aPydanticStyleSchemaBecomesGeminisSubset() {
        String schema = """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Order",
                 "type": "object", "additionalProperties": false,
                 "$defs": {"Item": {"type": "object", "properties": {"sku": {"type": "string", "pattern": "^[A-Z]+$"},
                                                                    "qty": {"type": "integer", "minimum": 1}},
                                    "required": ["sku", "qty"], "additionalProperties": false}},
                 "properties": {
                   "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "minItems": 1},
                   "note": {"type": ["string", "null"], "description": "free text"},
                   "kind": {"const": "order"},
                   "priority": {"enum": [1, 2, 3]},
                   "payment": {"oneOf": [{"type": "string"}, {"type": "null"}]},
                   "extra": {"type": "object", "patternProperties": {"^x-": {"type": "string"}}}},
                 "required": ["items", "kind", "missing"]}
                """;
        assertJson("""
                {"type": "object", "title": "Order",
                 "properties": {
                   "items": {"type": "array", "minItems": 1,
                             "items": {"type": "object", "properties": {"sku": {"type": "string", "pattern": "^[A-Z]+$"},
                                                                        "qty": {"type": "integer", "minimum": 1}},
                                       "required": ["sku", "qty"]}},
                   "note": {"type": "string", "nullable": true, "description": "free text"},
                   "kind": {"type": "string", "enum": ["order"]},
                   "priority": {"type": "string", "format": "enum", "enum": ["1", "2", "3"]},
                   "payment": {"type": "string", "nullable": true},
                   "extra": {"type": "object"}},
                 "required": ["items", "kind"]}
                """, GeminiSchema.toOpenApi(parse(schema), JsonNodeFactory.instance).toString());
    }

    @Test
    void theJsonSchemaSubsetRewritesWhatItCanAndDropsTheRest() {
        String schema = """
                {"$id": "https://example.com/order", "definitions": {"Item": {"type": "object",
                   "properties": {"sku": {"type": "string", "pattern": "^[A-Z]+$"}}, "required": ["sku"]}},
                 "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                           {"$ref": "#/definitions/Item"}],
                 "properties": {"pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
                                "flag": {"enum": [true, false]},
                                "item": {"$ref": "#/definitions/Item", "title": "The item", "$comment": "kept out"},
                                "default": {"type": "string", "default": "x", "not": {"const": "y"}}},
                 "if": {"required": ["a"]}, "then": {"required": ["pair"]}}
                """;
        assertJson("""
                {"$id": "https://example.com/order",
                 "$defs": {"Item": {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]}},
                 "type": "object",
                 "properties": {"pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                                "flag": {"type": "boolean"},
                                "item": {"$ref": "#/$defs/Item"},
                                "default": {"type": "string"},
                                "a": {"type": "string"},
                                "sku": {"type": "string"}},
                 "required": ["a", "sku"]}
                """, GeminiSchema.toJsonSchemaSubset(parse(schema), JsonNodeFactory.instance).toString());
        assertJson("{\"type\": \"object\"}", GeminiSchema.toJsonSchemaSubset(null, JsonNodeFactory.instance).toString());
    }

    @Test
    void recursionIsCutAndMissingSchemasBecomeEmptyObjects() {
        String tree = """
                {"$defs": {"Node": {"type": "object", "properties": {"children": {"type": "array",
                   "items": {"$ref": "#/$defs/Node"}}}}}, "$ref": "#/$defs/Node"}
                """;
        String converted = GeminiSchema.toOpenApi(parse(tree), JsonNodeFactory.instance).toString();
        // eight levels deep, then an object without properties: finite, and still a valid schema
        assertJson("{\"type\": \"object\"}", GeminiSchema.toOpenApi(null, JsonNodeFactory.instance).toString());
        org.junit.jupiter.api.Assertions.assertTrue(converted.length() < 10_000, converted);
        org.junit.jupiter.api.Assertions.assertTrue(converted.startsWith("{\"type\":\"object\",\"properties\""), converted);
    }
}
