package dev.sluice.provider.gemini;

import dev.sluice.testing.JsonAssert;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static dev.sluice.testing.ErrorAssert.assertError;
import static dev.sluice.testing.ErrorAssert.error;
import static dev.sluice.testing.JsonAssert.assertJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Sluice sends Gemini for an OpenAI request, field by field and header by header: the request shapes of
 * Google's generateContent reference (system instruction, multimodal parts, function declarations and calling
 * config, function responses, generation config, structured output, thinking).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class GeminiRequestTest {

    static final String GENERATE = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";
    /** 1×1 transparent PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body).when().post("/v1/chat/completions").then();
    }

    @Test
    void everyFieldGeminiCanHonourIsTranslated() {
        MockUpstream.on("POST", GENERATE, GeminiFixtures.json(GeminiFixtures.TEXT));
        post("""
                {"model": "gemini/gemini-2.5-flash",
                 "messages": [
                   {"role": "system", "content": "You are terse."},
                   {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is in this picture, and what is the weather in Paris?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s", "detail": "high"}}]},
                   {"role": "assistant", "content": null, "tool_calls": [
                     {"id": "call_mG2aKWJ_0", "type": "function",
                      "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
                      "extra_content": {"google": {"thought_signature": "CiQB0e2Kb3dRh"}}}]},
                   {"role": "tool", "tool_call_id": "call_mG2aKWJ_0", "content": "{\\"temperature_c\\":18}"},
                   {"role": "user", "content": "And in Lyon?"},
                   {"role": "user", "content": "Short answer please."}],
                 "temperature": 0.4, "top_p": 0.9, "top_k": 40, "max_completion_tokens": 512, "stop": ["END"],
                 "n": 2, "seed": 7, "presence_penalty": 0.5, "frequency_penalty": 0.25,
                 "logprobs": true, "top_logprobs": 3,
                 "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                            "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                           "required": ["city"]}}}],
                 "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
                 "reasoning_effort": "low", "user": "user-42", "parallel_tool_calls": false}
                """.formatted(PNG)).statusCode(200);

        MockUpstream.Received sent = MockUpstream.last(GENERATE);
        assertEquals("POST", sent.method());
        assertEquals(GENERATE, sent.uri());
        assertEquals(MockUpstream.GEMINI_KEY, sent.headers().get("x-goog-api-key"));
        assertEquals("application/json", sent.headers().get("content-type"));
        assertTrue(sent.headers().get("authorization") == null, "the key travels only in x-goog-api-key");
        assertJson("""
                {"contents": [
                   {"role": "user", "parts": [
                     {"text": "What is in this picture, and what is the weather in Paris?"},
                     {"inlineData": {"mimeType": "image/png", "data": "%s"}}]},
                   {"role": "model", "parts": [
                     {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                      "thoughtSignature": "CiQB0e2Kb3dRh"}]},
                   {"role": "user", "parts": [
                     {"functionResponse": {"name": "get_weather", "response": {"temperature_c": 18}}},
                     {"text": "And in Lyon?"},
                     {"text": "Short answer please."}]}],
                 "systemInstruction": {"parts": [{"text": "You are terse."}, {"text": "Answer in French."}]},
                 "tools": [{"functionDeclarations": [{"name": "get_weather", "description": "Weather of a city",
                   "parametersJsonSchema": {"type": "object", "properties": {"city": {"type": "string"}},
                                            "required": ["city"]}}]}],
                 "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}},
                 "generationConfig": {"stopSequences": ["END"], "candidateCount": 2, "maxOutputTokens": 512,
                   "temperature": 0.4, "topP": 0.9, "topK": 40, "seed": 7, "presencePenalty": 0.5,
                   "frequencyPenalty": 0.25, "responseLogprobs": true, "logprobs": 3,
                   "thinkingConfig": {"thinkingBudget": 1024, "includeThoughts": true}}}
                """.formatted(PNG), sent.body());
    }

    @Test
    void structuredOutputGoesAsJsonSchemaAndJsonObjectAsTheMimeType() {
        MockUpstream.on("POST", GENERATE, GeminiFixtures.json(GeminiFixtures.TEXT));
        post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "A recipe"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "recipe", "strict": true,
                   "schema": {"type": "object", "properties": {"name": {"type": "string"},
                              "steps": {"type": "array", "items": {"type": "string"}}},
                              "required": ["name", "steps"], "additionalProperties": false}}}}
                """).statusCode(200);
        assertJson("""
                {"responseMimeType": "application/json",
                 "responseJsonSchema": {"type": "object", "properties": {"name": {"type": "string"},
                   "steps": {"type": "array", "items": {"type": "string"}}},
                   "required": ["name", "steps"], "additionalProperties": false}}
                """, MockUpstream.last(GENERATE).json().getJsonObject("generationConfig").encode());

        post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "JSON please"}],
                 "response_format": {"type": "json_object"}, "tool_choice": "none",
                 "tools": [{"type": "function", "function": {"name": "noop"}}]}
                """).statusCode(200);
        JsonObject sent = MockUpstream.last(GENERATE).json();
        assertJson("{\"responseMimeType\": \"application/json\"}", sent.getJsonObject("generationConfig").encode());
        assertJson("{\"functionCallingConfig\": {\"mode\": \"NONE\"}}", sent.getJsonObject("toolConfig").encode());
        assertJson("[{\"functionDeclarations\": [{\"name\": \"noop\"}]}]", sent.getJsonArray("tools").encode());
    }

    /** A schema as Pydantic v2 writes it: $defs/$ref, titles, defaults, constraints Gemini lacks, const, null unions. */
    static final String PYDANTIC_SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "$defs": {"Address": {"additionalProperties": false, "properties": {
                 "street": {"title": "Street", "type": "string"},
                 "city": {"description": "City name", "title": "City", "type": "string"},
                 "zip": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null, "title": "Zip"}},
               "required": ["street", "city"], "title": "Address", "type": "object"}},
             "additionalProperties": false,
             "properties": {
               "name": {"maxLength": 100, "minLength": 1, "title": "Name", "type": "string"},
               "age": {"default": 0, "maximum": 150, "minimum": 0, "title": "Age", "type": "integer"},
               "email": {"pattern": "^\\\\S+@\\\\S+$", "title": "Email", "type": "string", "format": "email"},
               "tags": {"items": {"type": "string"}, "maxItems": 5, "uniqueItems": true, "title": "Tags", "type": "array",
                        "examples": [["vip"]]},
               "address": {"$ref": "#/$defs/Address", "description": "Where they live"},
               "previous": {"anyOf": [{"items": {"$ref": "#/$defs/Address"}, "type": "array"}, {"type": "null"}],
                            "default": null, "title": "Previous"},
               "kind": {"const": "customer", "default": "customer", "title": "Kind", "type": "string"},
               "score": {"exclusiveMinimum": 0, "multipleOf": 0.5, "title": "Score", "type": "number"},
               "status": {"enum": ["active", "closed", null], "title": "Status"}},
             "required": ["name", "email", "address", "missing"], "title": "Person", "type": "object"}
            """;

    @Test
    void aPydanticSchemaIsReducedToGooglesDocumentedSubsetInTheDefaultMode() {
        MockUpstream.on("POST", GENERATE, GeminiFixtures.json(GeminiFixtures.TEXT));
        post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Extract the person"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "Person", "strict": true,
                   "schema": %s}},
                 "tools": [{"type": "function", "function": {"name": "lookup_address",
                   "parameters": {"definitions": {"Query": {"type": "object", "properties": {"q": {"type": "string",
                                    "minLength": 3}}, "required": ["q"]}},
                                  "type": "object", "properties": {"query": {"allOf": [{"$ref": "#/definitions/Query"}],
                                    "description": "What to look up"}}, "required": ["query"]}}}]}
                """.formatted(PYDANTIC_SCHEMA)).statusCode(200);
        JsonObject sent = MockUpstream.last(GENERATE).json();
        assertJson("""
                {"responseMimeType": "application/json",
                 "responseJsonSchema": {
                   "$defs": {"Address": {"additionalProperties": false, "properties": {
                       "street": {"title": "Street", "type": "string"},
                       "city": {"description": "City name", "title": "City", "type": "string"},
                       "zip": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Zip"}},
                     "required": ["street", "city"], "title": "Address", "type": "object"}},
                   "additionalProperties": false,
                   "properties": {
                     "name": {"title": "Name", "type": "string"},
                     "age": {"maximum": 150, "minimum": 0, "title": "Age", "type": "integer"},
                     "email": {"title": "Email", "type": "string", "format": "email"},
                     "tags": {"items": {"type": "string"}, "maxItems": 5, "title": "Tags", "type": "array"},
                     "address": {"$ref": "#/$defs/Address"},
                     "previous": {"anyOf": [{"items": {"$ref": "#/$defs/Address"}, "type": "array"}, {"type": "null"}],
                                  "title": "Previous"},
                     "kind": {"enum": ["customer"], "title": "Kind", "type": "string"},
                     "score": {"title": "Score", "type": "number"},
                     "status": {"enum": ["active", "closed"], "title": "Status"}},
                   "required": ["name", "email", "address"], "title": "Person", "type": "object"}}
                """, sent.getJsonObject("generationConfig").encode());
        assertJson("""
                [{"functionDeclarations": [{"name": "lookup_address", "parametersJsonSchema": {
                   "$defs": {"Query": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}},
                   "type": "object", "properties": {"query": {"$ref": "#/$defs/Query"}}, "required": ["query"]}}]}]
                """, sent.getJsonArray("tools").encode());
    }

    @Test
    void imageOutputWebSearchAndImagesOfEarlierTurnsAreTranslated() {
        String path = "/gemini/v1beta/models/gemini-3-pro-image-preview:generateContent";
        MockUpstream.on("POST", path, GeminiFixtures.json(GeminiFixtures.IMAGE));
        post("""
                {"model": "gemini/gemini-3-pro-image-preview", "modalities": ["text", "image"],
                 "web_search_options": {"search_context_size": "high"},
                 "tools": [{"type": "function", "function": {"name": "noop"}}],
                 "messages": [{"role": "user", "content": "Make a banana dish"},
                   {"role": "assistant", "content": "Here it is.", "images": [
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"},
                      "extra_content": {"google": {"thought_signature": "EuYBCuMBAdHtim8"}}},
                     {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}}]},
                   {"role": "user", "content": "Make it blue"}]}
                """.formatted(PNG)).statusCode(200);
        JsonObject sent = MockUpstream.last(path).json();
        assertJson("""
                {"contents": [
                   {"role": "user", "parts": [{"text": "Make a banana dish"}]},
                   {"role": "model", "parts": [{"text": "Here it is."},
                     {"inlineData": {"mimeType": "image/png", "data": "%s"}, "thoughtSignature": "EuYBCuMBAdHtim8"},
                     {"inlineData": {"mimeType": "image/jpeg", "data": "/9j/4AAQ"},
                      "thoughtSignature": "skip_thought_signature_validator"}]},
                   {"role": "user", "parts": [{"text": "Make it blue"}]}],
                 "tools": [{"functionDeclarations": [{"name": "noop"}]}, {"googleSearch": {}}],
                 "generationConfig": {"responseModalities": ["TEXT", "IMAGE"]}}
                """.formatted(PNG), sent.encode());
    }

    @Test
    void theDeprecatedFunctionsApiIsTranslatedAndAnsweredInItsOwnForm() {
        MockUpstream.on("POST", GENERATE, GeminiFixtures.json(GeminiFixtures.FUNCTION_CALL));
        String answer = post("""
                {"model": "gemini/gemini-2.5-flash",
                 "functions": [{"name": "set_light_values", "description": "Set the lights",
                   "parameters": {"type": "object", "properties": {"brightness": {"type": "integer"}}}}],
                 "function_call": {"name": "set_light_values"},
                 "messages": [{"role": "user", "content": "Dim the lights"},
                   {"role": "assistant", "content": null,
                    "function_call": {"name": "set_light_values", "arguments": "{\\"brightness\\": 50}"}},
                   {"role": "function", "name": "set_light_values", "content": "{\\"ok\\": true}"},
                   {"role": "user", "content": "Dimmer"}]}
                """).statusCode(200).extract().asString();
        assertJson("""
                {"contents": [
                   {"role": "user", "parts": [{"text": "Dim the lights"}]},
                   {"role": "model", "parts": [{"functionCall": {"name": "set_light_values", "args": {"brightness": 50}}}]},
                   {"role": "user", "parts": [{"functionResponse": {"name": "set_light_values", "response": {"ok": true}}},
                                              {"text": "Dimmer"}]}],
                 "tools": [{"functionDeclarations": [{"name": "set_light_values", "description": "Set the lights",
                   "parametersJsonSchema": {"type": "object", "properties": {"brightness": {"type": "integer"}}}}]}],
                 "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["set_light_values"]}}}
                """, MockUpstream.last(GENERATE).body());
        assertJson("""
                {"role": "assistant", "content": null, "refusal": null,
                 "function_call": {"name": "set_light_values", "arguments": "{\\"brightness\\":25,\\"color_temp\\":\\"warm\\"}"}}
                """, JsonAssert.parse(answer).at("/choices/0/message").toString());
        assertEquals("function_call", JsonAssert.parse(answer).at("/choices/0/finish_reason").asText());
    }

    @Test
    void toolChoiceAutoAndRequired() {
        MockUpstream.on("POST", GENERATE, GeminiFixtures.json(GeminiFixtures.TEXT));
        for (String[] c : new String[][]{{"auto", "AUTO"}, {"required", "ANY"}}) {
            post("""
                    {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}],
                     "tools": [{"type": "function", "function": {"name": "noop"}}], "tool_choice": "%s"}
                    """.formatted(c[0])).statusCode(200);
            assertEquals(c[1], MockUpstream.last(GENERATE).json().getJsonObject("toolConfig")
                    .getJsonObject("functionCallingConfig").getString("mode"));
        }
    }

    @Test
    void gemini3TakesAThinkingLevelAndASignatureForCallsTheClientSentWithoutOne() {
        String path = "/gemini/v1beta/models/gemini-3-pro-preview:generateContent";
        MockUpstream.on("POST", path, GeminiFixtures.json(GeminiFixtures.TEXT));
        post("""
                {"model": "gemini/gemini-3-pro-preview", "reasoning_effort": "high",
                 "messages": [{"role": "user", "content": "Weather in Paris and Lyon?"},
                   {"role": "assistant", "tool_calls": [
                     {"id": "toolu_01A", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                     {"id": "toolu_01B", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Lyon\\"}"}}]},
                   {"role": "tool", "tool_call_id": "toolu_01A", "content": "18"},
                   {"role": "tool", "tool_call_id": "toolu_01B", "content": [{"type": "text", "text": "[16, \\"cloudy\\"]"}]}]}
                """).statusCode(200);
        JsonObject sent = MockUpstream.last(path).json();
        assertJson("""
                [{"role": "user", "parts": [{"text": "Weather in Paris and Lyon?"}]},
                 {"role": "model", "parts": [
                   {"functionCall": {"id": "toolu_01A", "name": "get_weather", "args": {"city": "Paris"}},
                    "thoughtSignature": "skip_thought_signature_validator"},
                   {"functionCall": {"id": "toolu_01B", "name": "get_weather", "args": {"city": "Lyon"}}}]},
                 {"role": "user", "parts": [
                   {"functionResponse": {"id": "toolu_01A", "name": "get_weather", "response": {"output": "18"}}},
                   {"functionResponse": {"id": "toolu_01B", "name": "get_weather", "response": {"output": [16, "cloudy"]}}}]}]
                """, sent.getJsonArray("contents").encode());
        assertJson("{\"thinkingConfig\": {\"thinkingLevel\": \"high\", \"includeThoughts\": true}}",
                sent.getJsonObject("generationConfig").encode());
    }

    @Test
    void aToolResultForAnUnknownCallIsA400NamingTheField() {
        assertError(error("Invalid 'messages[1].tool_call_id': no earlier assistant tool call has the id "
                + "'call_nowhere'; Gemini needs the function's name, which Sluice takes from that call",
                "invalid_request_error", "messages[1].tool_call_id", "invalid_request"), post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"},
                  {"role": "tool", "tool_call_id": "call_nowhere", "content": "42"}]}
                """).statusCode(400).extract().asString());
    }

    @Test
    void fieldsGeminiCannotHonourAreRefusedByName() {
        unsupported("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}],
                 "logit_bias": {"1234": 5}}
                """, "logit_bias", "Gemini has no token biasing");
        unsupported("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}], "n": 9}
                """, "n", "Gemini returns at most 8 candidates");
        unsupported("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}],
                 "modalities": ["text", "audio"]}
                """, "modalities", "Sluice's Gemini adapter returns text and images, not \"audio\"");
        unsupported("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}],
                 "audio": {"voice": "alloy", "format": "wav"}}
                """, "audio", "Sluice's Gemini adapter returns text and images, not audio");
        unsupported("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}],
                 "moderation": {"model": "omni-moderation-latest"}}
                """, "moderation", "Gemini has no moderation of requests and answers by a moderation model (its "
                + "safety filters are set with safetySettings)");
    }

    /** A 400 {@code unsupported_parameter} naming the field, and nothing sent to Gemini. */
    private static void unsupported(String request, String param, String why) {
        assertError(error("Provider 'gemini' cannot honour '" + param + "': " + why, "invalid_request_error", param,
                "unsupported_parameter"), post(request).statusCode(400).extract().asString());
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().startsWith("/gemini/")),
                "nothing reaches Gemini");
    }

    @Test
    void imageUrlsAreFetchedThroughTheAddressGuardAndInlined() {
        byte[] png = Base64.getDecoder().decode(PNG);
        MockUpstream.on("GET", "/img/cat.png", ctx -> ctx.response().putHeader("content-type", "image/png")
                .end(io.vertx.core.buffer.Buffer.buffer(png)));
        MockUpstream.on("POST", GENERATE, GeminiFixtures.json(GeminiFixtures.TEXT));
        post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "Describe"},
                  {"type": "image_url", "image_url": {"url": "%s"}},
                  {"type": "image_url", "image_url": {"url": "https://generativelanguage.googleapis.com/v1beta/files/abc123"}},
                  {"type": "image_url", "image_url": {"url": "gs://my-bucket/photos/dog.jpg"}}]}]}
                """.formatted(MockUpstream.pageUrl("/img/cat.png"))).statusCode(200);
        assertJson("""
                [{"text": "Describe"},
                 {"inlineData": {"mimeType": "image/png", "data": "%s"}},
                 {"fileData": {"fileUri": "https://generativelanguage.googleapis.com/v1beta/files/abc123"}},
                 {"fileData": {"mimeType": "image/jpeg", "fileUri": "gs://my-bucket/photos/dog.jpg"}}]
                """.formatted(PNG), MockUpstream.last(GENERATE).json().getJsonArray("contents").getJsonObject(0)
                .getJsonArray("parts").encode());
    }

    @Test
    void anImageUrlOnAPrivateAddressIsRefusedAndNeverFetched() {
        MockUpstream.on("GET", "/img/secret.png", ctx -> ctx.response().putHeader("content-type", "image/png").end("x"));
        assertError(error("Invalid 'messages[0].content[0].image_url.url': the image could not be fetched for "
                + "provider 'gemini': URL not allowed: the host resolves to loopback",
                "invalid_request_error", "messages[0].content[0].image_url.url", "image_url_not_allowed"), post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """.formatted(MockUpstream.url("/img/secret.png"))).statusCode(400).extract().asString());
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().equals("/img/secret.png")));
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().equals(GENERATE)));
    }

    @Test
    void anImageOverTheCapOrNotAnImageIsA400() {
        MockUpstream.on("GET", "/img/huge.png", ctx -> ctx.response().putHeader("content-type", "image/png")
                .end(io.vertx.core.buffer.Buffer.buffer(new byte[100 * 1024])));
        MockUpstream.on("GET", "/img/page.html", MockUpstream.html("<p>not an image</p>"));
        assertError(error("Invalid 'messages[0].content[0].image_url.url': the image could not be fetched for "
                + "provider 'gemini': the image is larger than the 65536-byte limit",
                "invalid_request_error", "messages[0].content[0].image_url.url", "image_too_large"), post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """.formatted(MockUpstream.pageUrl("/img/huge.png"))).statusCode(400).extract().asString());
        assertError(error("Invalid 'messages[0].content[0].image_url.url': the image could not be fetched for "
                + "provider 'gemini': the URL did not answer with an image",
                "invalid_request_error", "messages[0].content[0].image_url.url", "image_unsupported_content_type"), post("""
                {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """.formatted(MockUpstream.pageUrl("/img/page.html"))).statusCode(400).extract().asString());
    }

    @Test
    void aRequestFetchesAtMostTwentyImageUrls() {
        MockUpstream.on("GET", "/img/many.png", ctx -> ctx.response().putHeader("content-type", "image/png")
                .end(io.vertx.core.buffer.Buffer.buffer(Base64.getDecoder().decode(PNG))));
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            parts.append(i == 0 ? "" : ",").append("{\"type\": \"image_url\", \"image_url\": {\"url\": \"")
                    .append(MockUpstream.pageUrl("/img/many.png?" + i)).append("\"}}");
        }
        String body = post("{\"model\": \"gemini/gemini-2.5-flash\", \"messages\": [{\"role\": \"user\", \"content\": ["
                + parts + "]}]}").statusCode(400).extract().asString();
        assertTrue(body.contains("\"param\":\"messages[0].content[20].image_url.url\"") && body.contains("too_many_images"), body);
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().equals("/img/many.png")),
                "nothing is fetched for a request over the limit");
    }
}
