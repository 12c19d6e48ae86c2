package dev.sluice.compat;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same streamed tool-calling conversation ({@link ToolConversation}) run by the official OpenAI SDK through
 * each provider kind: the SDK must get the same shaped results from Anthropic and Azure (both URL forms) as from
 * the OpenAI adapter, usage included, while each upstream receives the conversation in its own protocol.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ProviderSdkConversationTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static boolean hasToolResult(JsonObject openAiBody) {
        return openAiBody.getJsonArray("messages").stream().anyMatch(m -> "tool".equals(((JsonObject) m).getString("role")));
    }

    /** The two turns in OpenAI's protocol (OpenAI itself and Azure), the arguments split over two deltas. */
    private static Handler<RoutingContext> openAiTurns(String callId, boolean azurePreamble) {
        String preamble = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
                + "[{\"prompt_index\":0,\"content_filter_results\":{}}]}";
        return ctx -> {
            if (!hasToolResult(new JsonObject(ctx.body().asString()))) {
                MockUpstream.sse(Duration.ofMillis(2), azurePreamble ? preamble : chunk("{\"role\":\"assistant\",\"content\":null}", null),
                        chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + callId + "\","
                                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\"\"}}]}", null),
                        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":\\\"Paris\\\"}\"}}]}", null),
                        chunk("{}", "tool_calls"), usageChunk(20, 10), "[DONE]").handle(ctx);
            } else {
                MockUpstream.sse(Duration.ofMillis(2),
                        chunk("{\"role\":\"assistant\",\"content\":\"It is 18°C \"}", null),
                        chunk("{\"content\":\"in Paris.\"}", null),
                        chunk("{}", "stop"), usageChunk(40, 6), "[DONE]").handle(ctx);
            }
        };
    }

    private static ToolConversation.Result openAiBaseline() {
        MockUpstream.on("POST", "/openai/v1/chat/completions", openAiTurns("call_w1", false));
        ToolConversation.Result result = ToolConversation.run(ToolConversation.client(MockUpstream.MASTER_KEY),
                "openai/gpt-4o");
        ToolConversation.assertStandardShape(result, "call_w1");
        return result;
    }

    @Test
    void openAi() {
        openAiBaseline();
    }

    @Test
    void anthropic() {
        ToolConversation.Result baseline = openAiBaseline();
        MockUpstream.on("POST", "/anthropic/v1/messages", ctx -> {
            JsonObject body = new JsonObject(ctx.body().asString());
            boolean second = body.getJsonArray("messages").size() > 1;
            MockUpstream.recordedSse(Duration.ofMillis(2), second ? """
                    event: message_start
                    data: {"type":"message_start","message":{"id":"msg_01Answer","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":1}}}

                    event: content_block_start
                    data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                    event: content_block_delta
                    data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"It is 18°C "}}

                    event: content_block_delta
                    data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"in Paris."}}

                    event: content_block_stop
                    data: {"type":"content_block_stop","index":0}

                    event: message_delta
                    data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

                    event: message_stop
                    data: {"type":"message_stop"}
                    """ : """
                    event: message_start
                    data: {"type":"message_start","message":{"id":"msg_01Call","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":1}}}

                    event: content_block_start
                    data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01W1","name":"get_weather","input":{}}}

                    event: ping
                    data: {"type": "ping"}

                    event: content_block_delta
                    data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\""}}

                    event: content_block_delta
                    data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":":\\"Paris\\"}"}}

                    event: content_block_stop
                    data: {"type":"content_block_stop","index":0}

                    event: message_delta
                    data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":10}}

                    event: message_stop
                    data: {"type":"message_stop"}
                    """).handle(ctx);
        });
        ToolConversation.Result result = ToolConversation.run(ToolConversation.client(MockUpstream.MASTER_KEY),
                "anthropic/claude-sonnet-4-5");
        ToolConversation.assertStandardShape(result, "toolu_01W1");
        assertEquals(baseline.shape(), result.shape());

        JsonObject second = MockUpstream.last("/anthropic/v1/messages").json();
        assertJson("""
                [{"role": "user", "content": "What's the weather in Paris?"},
                 {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01W1", "name": "get_weather",
                                                    "input": {"city": "Paris"}}]},
                 {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01W1",
                                               "content": "{\\"temperature_c\\":18}"}]}]
                """, second.getJsonArray("messages").encode());
        assertJson("""
                [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
                """, second.getJsonArray("tools").encode());
    }

    @Test
    void azureDeploymentForm() {
        ToolConversation.Result baseline = openAiBaseline();
        String path = "/azure/openai/deployments/prod-gpt4o/chat/completions";
        MockUpstream.on("POST", path, openAiTurns("call_az1", true));
        ToolConversation.Result result = ToolConversation.run(ToolConversation.client(MockUpstream.MASTER_KEY),
                "azure/gpt-4o");
        ToolConversation.assertStandardShape(result, "call_az1");
        assertEquals(baseline.shape(), result.shape());
        MockUpstream.Received second = MockUpstream.last(path);
        assertEquals(path + "?api-version=2024-10-21", second.uri());
        assertEquals("call_az1", second.json().getJsonArray("messages").getJsonObject(2).getString("tool_call_id"));
    }

    @Test
    void azureV1Form() {
        ToolConversation.Result baseline = openAiBaseline();
        String path = "/azure-v1/openai/v1/chat/completions";
        MockUpstream.on("POST", path, openAiTurns("call_v1", true));
        ToolConversation.Result result = ToolConversation.run(ToolConversation.client(MockUpstream.MASTER_KEY),
                "azure-v1/gpt-4o");
        ToolConversation.assertStandardShape(result, "call_v1");
        assertEquals(baseline.shape(), result.shape());
        assertEquals("gpt4o-v1", MockUpstream.last(path).json().getString("model"));
    }
}
