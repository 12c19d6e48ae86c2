package dev.sluice.api.messages;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import dev.sluice.testing.EventStream;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official Anthropic Java SDK as Sluice's client, changing nothing but its base URL: create, streaming through
 * the SDK's accumulator, a tool round trip, count_tokens, and errors as the SDK's exception types. Each runs
 * against an Anthropic-protocol upstream (passed through), Claude on Bedrock (passed through InvokeModel, its stream
 * in AWS event-stream frames) and an OpenAI-protocol upstream (translated).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class AnthropicSdkTest {

    static final String ANTHROPIC_MODEL = "claude-sonnet-4-5-20250929";
    static final String OPENAI_MODEL = "gpt-4o-mini";
    static final String BEDROCK_MODEL = "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String BEDROCK = "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0";

    AnthropicClient client;

    @BeforeEach
    void setUp() {
        MockUpstream.reset();
        MockUpstream.on("POST", "/anthropic/v1/messages", AnthropicSdkTest::anthropic);
        MockUpstream.on("POST", "/anthropic/v1/messages/count_tokens", MockUpstream.json(200, "{\"input_tokens\":42}"));
        MockUpstream.on("POST", "/openai/v1/chat/completions", AnthropicSdkTest::openAi);
        MockUpstream.on("POST", BEDROCK + "/invoke", AnthropicSdkTest::anthropic);
        MockUpstream.on("POST", BEDROCK + "/invoke-with-response-stream", AnthropicSdkTest::bedrockStream);
        MockUpstream.on("POST", "/bedrock/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens",
                MockUpstream.json(200, "{\"inputTokens\":42}"));
        client = AnthropicOkHttpClient.builder().baseUrl("http://localhost:" + io.restassured.RestAssured.port)
                .apiKey(MockUpstream.MASTER_KEY).maxRetries(0).build();
    }

    static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("Get the current weather in a given location")
                .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("location",
                        Map.of("type", "string")))).putAdditionalProperty("required", JsonValue.from(List.of("location")))
                        .build())
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {ANTHROPIC_MODEL, BEDROCK_MODEL, OPENAI_MODEL})
    void create(String model) {
        Message m = client.messages().create(MessageCreateParams.builder().model(model).maxTokens(100)
                .addUserMessage("Say hello").build());
        assertEquals("Hello from the upstream.", m.content().get(0).asText().text());
        assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
        assertEquals(9, m.usage().inputTokens());
        assertEquals(5, m.usage().outputTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {ANTHROPIC_MODEL, BEDROCK_MODEL, OPENAI_MODEL})
    void streamingThroughTheAccumulator(String model) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
                MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("Say hello").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message m = accumulator.message();
        assertEquals("Hello from the upstream.", m.content().get(0).asText().text());
        assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
        assertEquals(5, m.usage().outputTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {ANTHROPIC_MODEL, BEDROCK_MODEL, OPENAI_MODEL})
    void toolRoundTrip(String model) {
        MessageCreateParams.Builder params = MessageCreateParams.builder().model(model).maxTokens(200)
                .addTool(weatherTool()).addUserMessage("What's the weather in Paris?");
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params.build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message first = accumulator.message();
        assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
        ToolUseBlock call = first.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
                .findFirst().orElseThrow();
        assertEquals("get_weather", call.name());
        assertEquals("toolu_paris", call.id());
        assertEquals(JsonValue.from(Map.of("location", "Paris")), call._input());

        Message second = client.messages().create(params.addMessage(first.toParam())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(call.id()).content("15 degrees").build())))
                .build());
        assertEquals("It is 15 degrees in Paris.", second.content().get(0).asText().text());
        String upstream = switch (model) {
            case ANTHROPIC_MODEL -> "/anthropic/v1/messages";
            case BEDROCK_MODEL -> BEDROCK + "/invoke";
            default -> "/openai/v1/chat/completions";
        };
        assertTrue(MockUpstream.last(upstream).body().contains("toolu_paris"), "the tool id reached the upstream");
    }

    @ParameterizedTest
    @ValueSource(strings = {ANTHROPIC_MODEL, BEDROCK_MODEL, OPENAI_MODEL})
    void countTokens(String model) {
        MessageTokensCount count = client.messages().countTokens(MessageCountTokensParams.builder().model(model)
                .addUserMessage("Hello, world").build());
        if (!model.equals(OPENAI_MODEL)) {
            assertEquals(42, count.inputTokens());
        } else {
            assertTrue(count.inputTokens() > 0 && count.inputTokens() < 30, "estimate: " + count.inputTokens());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ANTHROPIC_MODEL, BEDROCK_MODEL, OPENAI_MODEL})
    void errorsAsTheSdksExceptions(String model) {
        assertThrows(NotFoundException.class, () -> client.messages().create(MessageCreateParams.builder()
                .model("nobody/" + model).maxTokens(10).addUserMessage("Hi").build()));
        AnthropicClient stranger = AnthropicOkHttpClient.builder().baseUrl("http://localhost:"
                + io.restassured.RestAssured.port).apiKey("sk-not-a-key").maxRetries(0).build();
        assertThrows(UnauthorizedException.class, () -> stranger.messages().create(MessageCreateParams.builder()
                .model(model).maxTokens(10).addUserMessage("Hi").build()));
        BadRequestException bad = assertThrows(BadRequestException.class, () -> client.messages().create(
                MessageCreateParams.builder().model(model).maxTokens(0).addUserMessage("Hi").build()));
        assertTrue(bad.getMessage().contains("max_tokens"), bad.getMessage());
        MockUpstream.on("POST", "/anthropic/v1/messages", MockUpstream.json(429,
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.rateLimited("1"));
        MockUpstream.on("POST", BEDROCK + "/invoke", ctx -> ctx.response().setStatusCode(429)
                .putHeader("content-type", "application/json").putHeader("x-amzn-errortype", "ThrottlingException")
                .end("{\"message\":\"Too many requests, please wait before trying again.\"}"));
        assertThrows(RateLimitException.class, () -> client.messages().create(MessageCreateParams.builder()
                .model(model).maxTokens(10).addUserMessage("Hi").build()));
    }

    // ---- the upstreams ----------------------------------------------------------------------------------------

    private static boolean answeringTool(JsonObject request) {
        return request.containsKey("tools") && !request.encode().contains("toolu_paris");
    }

    /** An Anthropic upstream: a greeting, a tool call when tools are offered, the answer once the result came. */
    static void anthropic(RoutingContext ctx) {
        JsonObject request = ctx.body().asJsonObject();
        boolean tool = answeringTool(request);
        String text = request.encode().contains("toolu_paris") ? "It is 15 degrees in Paris." : "Hello from the upstream.";
        if (!request.getBoolean("stream", false)) {
            String content = tool ? "{\"type\":\"tool_use\",\"id\":\"toolu_paris\",\"name\":\"get_weather\","
                    + "\"input\":{\"location\":\"Paris\"}}" : "{\"type\":\"text\",\"text\":\"" + text + "\"}";
            MockUpstream.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                    + request.getString("model") + "\",\"content\":[" + content + "],\"stop_reason\":\""
                    + (tool ? "tool_use" : "end_turn") + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,"
                    + "\"output_tokens\":5}}").handle(ctx);
            return;
        }
        StringBuilder events = new StringBuilder();
        for (String[] e : anthropicEvents(tool, text)) {
            event(events, e[0], e[1]);
        }
        ctx.response().putHeader("content-type", "text/event-stream").end(events.toString());
    }

    /** The same answers from Claude on Bedrock: each event base64 in a {@code chunk} frame of an AWS event stream. */
    static void bedrockStream(RoutingContext ctx) {
        JsonObject request = ctx.body().asJsonObject();
        String text = request.encode().contains("toolu_paris") ? "It is 15 degrees in Paris." : "Hello from the upstream.";
        List<byte[]> frames = anthropicEvents(answeringTool(request), text).stream()
                .map(e -> EventStream.event("chunk", "{\"bytes\":\"" + Base64.getEncoder()
                        .encodeToString(e[1].getBytes(StandardCharsets.UTF_8)) + "\"}"))
                .toList();
        EventStream.reply(Duration.ZERO, frames).handle(ctx);
    }

    /** An Anthropic stream's events (name, data): a greeting, or a tool call whose input comes in three parts. */
    private static List<String[]> anthropicEvents(boolean tool, String text) {
        List<String[]> events = new ArrayList<>();
        events.add(new String[]{"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}"});
        if (tool) {
            events.add(new String[]{"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_paris\",\"name\":\"get_weather\","
                    + "\"input\":{}}}"});
            for (String part : List.of("{\\\"loca", "tion\\\": \\\"Par", "is\\\"}")) {
                events.add(new String[]{"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + part + "\"}}"});
            }
        } else {
            events.add(new String[]{"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"});
            events.add(new String[]{"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}"});
        }
        events.add(new String[]{"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"});
        events.add(new String[]{"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                + (tool ? "tool_use" : "end_turn") + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}"});
        events.add(new String[]{"message_stop", "{\"type\":\"message_stop\"}"});
        return events;
    }

    private static void event(StringBuilder out, String type, String data) {
        out.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
    }

    /** The same conversation from an OpenAI-protocol upstream. */
    static void openAi(RoutingContext ctx) {
        JsonObject request = ctx.body().asJsonObject();
        boolean tool = answeringTool(request);
        String text = request.encode().contains("toolu_paris") ? "It is 15 degrees in Paris." : "Hello from the upstream.";
        String usage = "{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_tokens\":14}";
        if (!request.getBoolean("stream", false)) {
            String message = tool ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"toolu_paris\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\":"
                    + "\\\"Paris\\\"}\"}}]}" : "{\"role\":\"assistant\",\"content\":\"" + text + "\"}";
            MockUpstream.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":\""
                    + (tool ? "tool_calls" : "stop") + "\"}],\"usage\":" + usage + "}").handle(ctx);
            return;
        }
        List<String> chunks = tool ? List.of(
                MockUpstream.chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
                        + "\"toolu_paris\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                        null),
                MockUpstream.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loca\"}}]}", null),
                MockUpstream.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"tion\\\": \\\"Par\"}}]}", null),
                MockUpstream.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"is\\\"}\"}}]}", null),
                MockUpstream.chunk("{}", "tool_calls"),
                MockUpstream.usageChunk(9, 5))
                : List.of(MockUpstream.chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                MockUpstream.chunk("{\"content\":\"" + text + "\"}", null),
                MockUpstream.chunk("{}", "stop"),
                MockUpstream.usageChunk(9, 5));
        MockUpstream.sse(Duration.ZERO, chunks.toArray(String[]::new)).handle(ctx);
    }
}
