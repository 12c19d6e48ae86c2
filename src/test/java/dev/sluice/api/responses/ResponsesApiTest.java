package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.api.responses.ResponsesFixtures.*;
import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/responses} over HTTP against mock upstreams: passed through to OpenAI's Responses endpoint, translated
 * to Anthropic's Messages API (a function call and its result across two turns held by Sluice's store), and the
 * stored-response routes with their ownership rules.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ResponsesApiTest {

    static final String OPENAI_RESPONSES = "/openai/v1/responses";
    static final String ANTHROPIC_MESSAGES = "/anthropic/v1/messages";

    static String url(String path) {
        return "http://localhost:" + RestAssured.port + path;
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void passedThroughToOpenAiUnchangedButTheModel() throws Exception {
        MockUpstream.on("POST", OPENAI_RESPONSES, MockUpstream.json(200, TEXT_RESPONSE));
        String body = "{\"model\":\"openai/gpt-4.1\",\"input\":\"Tell me a three sentence bedtime story about a "
                + "unicorn.\",\"a_future_field\":{\"kept\":[1,2]}}";
        HttpResponse<String> r = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY, body);
        assertEquals(200, r.statusCode(), r.body());
        MockUpstream.Received up = MockUpstream.last(OPENAI_RESPONSES);
        assertEquals(body.replace("openai/gpt-4.1", "gpt-4.1"), up.body());
        assertEquals("Bearer " + MockUpstream.OPENAI_KEY, up.headers().get("authorization"));
        assertJson(TEXT_RESPONSE, r.body());
        assertEquals("openai", r.headers().firstValue("x-sluice-provider").orElseThrow());

        // kept by Sluice: retrievable by the key that made it, by no other
        String id = parse(r.body()).path("id").asText();
        HttpResponse<String> got = Http.get(url("/v1/responses/" + id), MockUpstream.MASTER_KEY);
        assertEquals(200, got.statusCode(), got.body());
        assertJson(r.body(), got.body());
        VirtualKeys.Key other = VirtualKeys.create("{\"name\":\"responses-other\"}");
        HttpResponse<String> foreign = Http.get(url("/v1/responses/" + id), other.secret());
        assertEquals(404, foreign.statusCode());
        assertJson("{\"error\": {\"message\": \"Response with id '" + id + "' not found.\", "
                + "\"type\": \"invalid_request_error\", \"param\": null, \"code\": null}}", foreign.body());
        assertEquals(404, Http.delete(url("/v1/responses/" + id), other.secret()).statusCode());

        HttpResponse<String> deleted = Http.delete(url("/v1/responses/" + id), MockUpstream.MASTER_KEY);
        assertJson("{\"id\": \"" + id + "\", \"object\": \"response.deleted\", \"deleted\": true}", deleted.body());
        assertEquals(404, Http.get(url("/v1/responses/" + id), MockUpstream.MASTER_KEY).statusCode());
    }

    @Test
    void passedThroughToAzureWithItsDeploymentName() throws Exception {
        String path = "/azure-v1/openai/v1/responses";
        MockUpstream.on("POST", path, MockUpstream.json(200, TEXT_RESPONSE));
        HttpResponse<String> r = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY,
                "{\"model\":\"azure-v1/gpt-4o\",\"input\":\"Tell me a story.\",\"store\":false}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"model\":\"gpt4o-v1\",\"input\":\"Tell me a story.\",\"store\":false}",
                MockUpstream.last(path).body());
        assertEquals(MockUpstream.AZURE_V1_KEY, MockUpstream.last(path).headers().get("api-key"));
        assertJson(TEXT_RESPONSE, r.body());
        String id = parse(r.body()).path("id").asText();
        assertEquals(404, Http.get(url("/v1/responses/" + id), MockUpstream.MASTER_KEY).statusCode());
    }

    @Test
    void passedThroughStreamIsRelayedAsItCame() throws Exception {
        MockUpstream.on("POST", OPENAI_RESPONSES, MockUpstream.recordedSse(Duration.ZERO, TEXT_STREAM));
        HttpResponse<String> r = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY,
                "{\"model\":\"openai/gpt-4.1\",\"instructions\":\"You are a helpful assistant.\",\"input\":\"Hello!\","
                        + "\"stream\":true}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        List<Event> expected = events(TEXT_STREAM);
        List<Event> actual = events(r.body());
        assertEquals(expected.stream().map(Event::type).toList(), actual.stream().map(Event::type).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertJson(expected.get(i).data(), actual.get(i).data());
        }
        assertTrue(MockUpstream.last(OPENAI_RESPONSES).json().getBoolean("stream"));
        // stored from the stream's final event
        String id = actual.get(0).data().path("response").path("id").asText();
        HttpResponse<String> got = Http.get(url("/v1/responses/" + id), MockUpstream.MASTER_KEY);
        assertEquals(200, got.statusCode());
        assertEquals("Hi there!", parse(got.body()).path("output").get(0).path("content").get(0).path("text").asText());
    }

    @Test
    void functionCallRoundTripOnAnthropicAcrossTwoTurns() throws Exception {
        MockUpstream.on("POST", ANTHROPIC_MESSAGES, MockUpstream.json(200, ANTHROPIC_TOOL_USE));
        HttpResponse<String> first = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY, "{\"model\": "
                + "\"anthropic/claude-sonnet-4-5\", \"input\": \"What is the weather like in Boston today?\", "
                + "\"max_output_tokens\": 1024, " + WEATHER_TOOLS + "}");
        assertEquals(200, first.statusCode(), first.body());
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "What is the weather like in Boston today?"}],
                 "tools": [{"name": "get_current_weather", "description": "Get the current weather in a given location",
                   "input_schema": {"type": "object", "properties": {
                      "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                      "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                    "required": ["location", "unit"]}}],
                 "tool_choice": {"type": "auto"}}
                """, MockUpstream.last(ANTHROPIC_MESSAGES).body());
        JsonNode response = parse(first.body());
        String id = response.path("id").asText();
        assertTrue(id.startsWith("resp_"), id);
        String callItem = response.path("output").get(0).path("id").asText();
        assertJson(normalised(response, """
                {"id": "ID", "object": "response", "created_at": 0, "status": "completed", "background": false,
                 "error": null, "incomplete_details": null, "instructions": null, "max_output_tokens": 1024,
                 "model": "anthropic/claude-sonnet-4-5",
                 "output": [{"id": "ITEM", "type": "function_call", "status": "completed",
                   "call_id": "toolu_01A09q90qw90lq917835lq9", "name": "get_current_weather",
                   "arguments": "{\\"location\\":\\"Boston, MA\\",\\"unit\\":\\"celsius\\"}"}],
                 "parallel_tool_calls": true, "previous_response_id": null,
                 "reasoning": {"effort": null, "summary": null}, "store": true, "temperature": 1.0,
                 "text": {"format": {"type": "text"}}, "tool_choice": "auto", "tools": %s, "top_p": 1.0,
                 "truncation": "disabled", "user": null, "metadata": {},
                 "usage": {"input_tokens": 384, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 67,
                   "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 451}}
                """.formatted(parse("{" + WEATHER_TOOLS + "}").get("tools"))), response);
        assertTrue(callItem.startsWith("fc_"), callItem);

        // turn two: only the tool's output; the call it answers comes from Sluice's store
        MockUpstream.on("POST", ANTHROPIC_MESSAGES, MockUpstream.json(200, ANTHROPIC_TEXT));
        HttpResponse<String> second = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY, "{\"model\": "
                + "\"anthropic/claude-sonnet-4-5\", \"previous_response_id\": \"" + id + "\", \"max_output_tokens\": 1024, "
                + "\"input\": [{\"type\": \"function_call_output\", \"call_id\": \"toolu_01A09q90qw90lq917835lq9\", "
                + "\"output\": \"22 degrees Celsius\"}], " + WEATHER_TOOLS + "}");
        assertEquals(200, second.statusCode(), second.body());
        JsonNode upstream = parse(MockUpstream.last(ANTHROPIC_MESSAGES).body());
        assertJson("""
                [{"role": "user", "content": "What is the weather like in Boston today?"},
                 {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9",
                    "name": "get_current_weather", "input": {"location": "Boston, MA", "unit": "celsius"}}]},
                 {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9",
                    "content": "22 degrees Celsius"}]}]
                """, upstream.get("messages").toString());
        JsonNode answer = parse(second.body());
        assertEquals(id, answer.path("previous_response_id").asText());
        assertEquals("It is 22 degrees Celsius in Boston.",
                answer.path("output").get(0).path("content").get(0).path("text").asText());
        assertEquals(100, answer.path("usage").path("input_tokens_details").path("cached_tokens").asInt());

        // the stored input items of turn two: turn one's input and output, then its own input
        HttpResponse<String> items = Http.get(url("/v1/responses/" + answer.path("id").asText()
                + "/input_items?order=asc"), MockUpstream.MASTER_KEY);
        assertEquals(200, items.statusCode(), items.body());
        JsonNode data = parse(items.body()).get("data");
        assertEquals(List.of("message", "function_call", "function_call_output"),
                List.of(data.get(0).path("type").asText(), data.get(1).path("type").asText(),
                        data.get(2).path("type").asText()));
        assertEquals(false, parse(items.body()).path("has_more").asBoolean());
    }

    @Test
    void anthropicStreamIsTheResponsesEventSequence() throws Exception {
        MockUpstream.on("POST", ANTHROPIC_MESSAGES, MockUpstream.recordedSse(Duration.ZERO, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

                event: message_stop
                data: {"type":"message_stop"}
                """));
        HttpResponse<String> r = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY,
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":\"Hello!\",\"stream\":true,\"store\":false}");
        assertEquals(200, r.statusCode(), r.body());
        List<Event> events = events(r.body());
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"), events.stream().map(Event::type).toList());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).data().path("sequence_number").asInt());
            assertEquals(events.get(i).type(), events.get(i).data().path("type").asText());
        }
        JsonNode completed = events.get(9).data().path("response");
        // Sluice's price of the exchange rides in the usage, as on chat completions
        assertTrue(completed.path("usage").path("cost").asDouble() > 0, completed.toString());
        assertEquals("completed", completed.path("status").asText());
        assertEquals("Hello!", completed.path("output").get(0).path("content").get(0).path("text").asText());
        assertJson("""
                {"input_tokens": 25, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 15,
                 "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 40}
                """, completed.get("usage").toString());
        // store: false keeps nothing
        String id = completed.path("id").asText();
        assertEquals(404, Http.get(url("/v1/responses/" + id), MockUpstream.MASTER_KEY).statusCode());
    }

    @Test
    void clearErrorsInOpenAisEnvelope() throws Exception {
        HttpResponse<String> conversation = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY,
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":\"hi\",\"conversation\":\"conv_1\"}");
        assertEquals(400, conversation.statusCode());
        assertEquals("conversation", parse(conversation.body()).path("error").path("param").asText());

        HttpResponse<String> unknown = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY,
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":\"hi\",\"previous_response_id\":\"resp_nope\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertJson("{\"error\": {\"message\": \"Previous response with id 'resp_nope' not found.\", "
                + "\"type\": \"invalid_request_error\", \"param\": \"previous_response_id\", "
                + "\"code\": \"previous_response_not_found\"}}", unknown.body());
        assertEquals(0, MockUpstream.count(ANTHROPIC_MESSAGES));

        HttpResponse<String> notJson = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY, "{\"model\":");
        assertEquals(400, notJson.statusCode());
        assertEquals("invalid_json", parse(notJson.body()).path("error").path("code").asText());

        HttpResponse<String> noKey = Http.post(url("/v1/responses"), "sk-wrong-key-000000000",
                "{\"model\":\"openai/gpt-4.1\",\"input\":\"hi\"}");
        assertEquals(401, noKey.statusCode());

        HttpResponse<String> cancel = Http.post(url("/v1/responses/resp_nope/cancel"), MockUpstream.MASTER_KEY, "");
        assertEquals(404, cancel.statusCode());

        MockUpstream.on("POST", ANTHROPIC_MESSAGES, MockUpstream.json(200, ANTHROPIC_TEXT));
        HttpResponse<String> made = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY,
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":\"hi\"}");
        String id = parse(made.body()).path("id").asText();
        HttpResponse<String> cancelled = Http.post(url("/v1/responses/" + id + "/cancel"), MockUpstream.MASTER_KEY, "");
        assertEquals(400, cancelled.statusCode());
        assertTrue(parse(cancelled.body()).path("error").path("message").asText().contains("background"));

        HttpResponse<String> background = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY,
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":\"hi\",\"background\":true}");
        assertEquals(400, background.statusCode());
        assertEquals("background", parse(background.body()).path("error").path("param").asText());
    }

    @Test
    void inputTokensCountsTheTranslatedRequest() throws Exception {
        HttpResponse<String> r = Http.post(url("/v1/responses/input_tokens"), MockUpstream.MASTER_KEY,
                "{\"model\":\"openai/gpt-4o\",\"instructions\":\"Be brief.\",\"input\":\"Tell me a joke.\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = parse(r.body());
        assertEquals("response.input_tokens", body.path("object").asText());
        // "Be brief." and "Tell me a joke." with the chat framing of two messages
        assertTrue(body.path("input_tokens").asInt() >= 9 && body.path("input_tokens").asInt() <= 20, r.body());
    }

    @Test
    void translatedToGeminiWithWebSearch() throws Exception {
        String path = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";
        MockUpstream.on("POST", path, MockUpstream.json(200, """
                {"candidates": [{"content": {"parts": [{"text": "AI learns patterns from data."}], "role": "model"},
                  "finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 8, "candidatesTokenCount": 11, "totalTokenCount": 19},
                 "modelVersion": "gemini-2.5-flash", "responseId": "mG-2aKWJLtqX1dkP7Zq3qAw"}
                """));
        HttpResponse<String> r = Http.post(url("/v1/responses"), MockUpstream.MASTER_KEY, """
                {"model": "gemini/gemini-2.5-flash", "instructions": "Answer in one sentence.",
                 "input": [{"role": "user", "content": [{"type": "input_text", "text": "Explain how AI works"}]}],
                 "tools": [{"type": "web_search"}, {"type": "code_interpreter", "container": {"type": "auto"}}],
                 "temperature": 0.5, "max_output_tokens": 256, "store": false}
                """);
        assertEquals(200, r.statusCode(), r.body());
        assertJson("""
                {"contents": [{"role": "user", "parts": [{"text": "Explain how AI works"}]}],
                 "systemInstruction": {"parts": [{"text": "Answer in one sentence."}]},
                 "tools": [{"googleSearch": {}}],
                 "generationConfig": {"temperature": 0.5, "maxOutputTokens": 256}}
                """, MockUpstream.last(path).body());
        assertEquals("tools.code_interpreter", r.headers().firstValue("x-sluice-dropped").orElseThrow());
        JsonNode response = parse(r.body());
        assertEquals("completed", response.path("status").asText());
        assertEquals("AI learns patterns from data.",
                response.path("output").get(0).path("content").get(0).path("text").asText());
        assertJson("""
                {"input_tokens": 8, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 11,
                 "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 19}
                """, response.get("usage").toString());
    }

    @Inject
    dev.sluice.store.ResponseStore store;

    @Test
    void expiredResponsesAreNeitherReadNorKept() throws Exception {
        long now = System.currentTimeMillis();
        store.save(new dev.sluice.store.StoredResponse("resp_expired", "master", now - 10_000, now - 1, "[]",
                "{\"id\":\"resp_expired\"}")).await().indefinitely();
        assertEquals(404, Http.get(url("/v1/responses/resp_expired"), MockUpstream.MASTER_KEY).statusCode());
        assertTrue(store.purge(now).await().indefinitely() >= 1);
        assertTrue(store.find("resp_expired", "master", 0).await().indefinitely().isEmpty());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    record Event(String type, JsonNode data) {
    }

    /** The events of an SSE body: the {@code event:} name and the parsed {@code data:}. */
    static List<Event> events(String body) {
        List<Event> out = new ArrayList<>();
        for (String block : body.strip().split("\n\n")) {
            String type = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            out.add(new Event(type, parse(data.toString())));
        }
        return out;
    }

    /** The expected document with the generated id and creation time of the actual one. */
    static JsonNode normalised(JsonNode actual, String expected) {
        ObjectNode e = (ObjectNode) parse(expected);
        e.put("id", actual.path("id").asText());
        e.set("created_at", actual.get("created_at"));
        ArrayNode out = (ArrayNode) e.get("output");
        for (int i = 0; i < out.size(); i++) {
            ((ObjectNode) out.get(i)).put("id", actual.path("output").get(i).path("id").asText());
        }
        return e;
    }
}
