package dev.sluice.compat;

import dev.sluice.testing.EventStream;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streamed tool-calling conversation of {@link ToolConversation}, run by the official OpenAI SDK through Gemini
 * and through Bedrock: the SDK gets the same shaped results as from the OpenAI adapter, usage included, while each
 * upstream receives the conversation in its own protocol (Gemini's SSE, Bedrock's binary event stream).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class NativeProviderSdkConversationTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static ToolConversation.Result openAiBaseline() {
        MockUpstream.on("POST", "/openai/v1/chat/completions", ctx -> {
            boolean second = new JsonObject(ctx.body().asString()).getJsonArray("messages").size() > 1;
            if (!second) {
                MockUpstream.sse(Duration.ofMillis(2),
                        chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_w1\","
                                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", null),
                        chunk("{}", "tool_calls"), usageChunk(20, 10), "[DONE]").handle(ctx);
            } else {
                MockUpstream.sse(Duration.ofMillis(2), chunk("{\"role\":\"assistant\",\"content\":\"It is 18°C \"}", null),
                        chunk("{\"content\":\"in Paris.\"}", null), chunk("{}", "stop"), usageChunk(40, 6), "[DONE]")
                        .handle(ctx);
            }
        });
        ToolConversation.Result result = ToolConversation.run(ToolConversation.client(MockUpstream.MASTER_KEY),
                "openai/gpt-4o");
        ToolConversation.assertStandardShape(result, "call_w1");
        return result;
    }

    @Test
    void gemini() {
        ToolConversation.Result baseline = openAiBaseline();
        String path = "/gemini/v1beta/models/gemini-3-pro-preview:streamGenerateContent";
        MockUpstream.on("POST", path, ctx -> {
            boolean second = new JsonObject(ctx.body().asString()).getJsonArray("contents").size() > 1;
            MockUpstream.sse(Duration.ofMillis(2), second ? new String[]{
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"It is 18°C \"}],\"role\":\"model\"},\"index\":0}],"
                            + "\"usageMetadata\":{\"promptTokenCount\":40,\"totalTokenCount\":40},\"modelVersion\":\"gemini-3-pro-preview\","
                            + "\"responseId\":\"answer2\"}",
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"in Paris.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\","
                            + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":40,\"candidatesTokenCount\":6,"
                            + "\"totalTokenCount\":46},\"modelVersion\":\"gemini-3-pro-preview\",\"responseId\":\"answer2\"}"}
                    : new String[]{
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},"
                            + "\"thoughtSignature\":\"EqoBCqcBAdHtim9X\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                            + "\"usageMetadata\":{\"promptTokenCount\":20,\"candidatesTokenCount\":10,\"totalTokenCount\":30},"
                            + "\"modelVersion\":\"gemini-3-pro-preview\",\"responseId\":\"call1\"}"}).handle(ctx);
        });
        ToolConversation.Result result = ToolConversation.run(ToolConversation.client(MockUpstream.MASTER_KEY),
                "gemini/gemini-3-pro-preview");
        ToolConversation.assertStandardShape(result, "call_call1_0");
        assertEquals(baseline.shape(), result.shape());

        JsonObject second = MockUpstream.last(path).json();
        JsonArray contents = second.getJsonArray("contents");
        assertJson("{\"role\": \"user\", \"parts\": [{\"text\": \"What's the weather in Paris?\"}]}",
                contents.getJsonObject(0).encode());
        JsonObject call = contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0);
        assertJson("{\"name\": \"get_weather\", \"args\": {\"city\": \"Paris\"}}", call.getJsonObject("functionCall").encode());
        // Gemini 3 refuses a call sent back without its signature: the real one if the client kept it, else the
        // documented validator-skip value
        assertTrue(List.of("EqoBCqcBAdHtim9X", "skip_thought_signature_validator").contains(call.getString("thoughtSignature")),
                call.encode());
        assertJson("""
                {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"temperature_c": 18}}}]}
                """, contents.getJsonObject(2).encode());
    }

    @Test
    void bedrock() {
        ToolConversation.Result baseline = openAiBaseline();
        String path = "/bedrock/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream";
        MockUpstream.on("POST", path, ctx -> {
            boolean second = new JsonObject(ctx.body().asString()).getJsonArray("messages").size() > 1;
            EventStream.reply(Duration.ofMillis(2), second ? List.of(
                    EventStream.event("messageStart", "{\"role\":\"assistant\"}"),
                    EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"It is 18°C \"}}"),
                    EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"in Paris.\"}}"),
                    EventStream.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                    EventStream.event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                    EventStream.event("metadata", "{\"usage\":{\"inputTokens\":40,\"outputTokens\":6,\"totalTokens\":46}}"))
                    : List.of(
                    EventStream.event("messageStart", "{\"role\":\"assistant\"}"),
                    EventStream.event("contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":"
                            + "{\"name\":\"get_weather\",\"toolUseId\":\"tooluse_w1\"}}}"),
                    EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\"\"}}}"),
                    EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\":\\\"Paris\\\"}\"}}}"),
                    EventStream.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                    EventStream.event("messageStop", "{\"stopReason\":\"tool_use\"}"),
                    EventStream.event("metadata", "{\"usage\":{\"inputTokens\":20,\"outputTokens\":10,\"totalTokens\":30}}")))
                    .handle(ctx);
        });
        ToolConversation.Result result = ToolConversation.run(ToolConversation.client(MockUpstream.MASTER_KEY),
                "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0");
        ToolConversation.assertStandardShape(result, "tooluse_w1");
        assertEquals(baseline.shape(), result.shape());

        JsonObject second = MockUpstream.last(path).json();
        assertJson("""
                [{"role": "user", "content": [{"text": "What's the weather in Paris?"}]},
                 {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tooluse_w1", "name": "get_weather",
                                                                "input": {"city": "Paris"}}}]},
                 {"role": "user", "content": [{"toolResult": {"toolUseId": "tooluse_w1",
                                                              "content": [{"json": {"temperature_c": 18}}]}}]}]
                """, second.getJsonArray("messages").encode());
        assertJson("""
                {"tools": [{"toolSpec": {"name": "get_weather",
                   "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}}}}}]}
                """, second.getJsonObject("toolConfig").encode());
    }
}
