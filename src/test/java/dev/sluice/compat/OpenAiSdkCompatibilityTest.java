package dev.sluice.compat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sluice driven by the official OpenAI Java SDK, changing nothing but the base URL: what an application sees
 * when it points its existing client at the gateway.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class OpenAiSdkCompatibilityTest {

    static final String COMPLETIONS = "/openai/v1/chat/completions";

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl("http://localhost:" + io.restassured.RestAssured.port + "/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private OpenAIClient client() {
        return client(MockUpstream.MASTER_KEY);
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void chatCompletion() {
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("openai/gpt-4o").addUserMessage("Hi").maxCompletionTokens(50).build());
        assertEquals("Hello there", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        assertEquals(11, completion.usage().orElseThrow().totalTokens());
    }

    @Test
    void streamingChatCompletionWithUsage() {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ofMillis(5),
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null), chunk("{\"content\":\"Hel\"}", null),
                chunk("{\"content\":\"lo\"}", null), chunk("{}", "stop"), usageChunk(5, 2), "[DONE]"));
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("openai/gpt-4o").addUserMessage("Hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(c -> {
                acc.accumulate(c);
                c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertEquals("Hello", text.toString());
        ChatCompletion whole = acc.chatCompletion();
        assertEquals("Hello", whole.choices().get(0).message().content().orElseThrow());
        assertEquals(7, whole.usage().orElseThrow().totalTokens());
    }

    @Test
    void streamedMultiTurnToolCallingConversation() {
        // turn 1: the model calls a tool, its arguments split over several deltas
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            JsonObject body = new JsonObject(ctx.body().asString());
            boolean hasToolResult = body.getJsonArray("messages").stream()
                    .anyMatch(m -> "tool".equals(((JsonObject) m).getString("role")));
            if (!hasToolResult) {
                MockUpstream.sse(Duration.ofMillis(2),
                        chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_w1\","
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
        });
        OpenAIClient client = client();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("openai/gpt-4o")
                .addUserMessage("What's the weather in Paris?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build()).build())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());

        ChatCompletion first = streamed(client, params.build());
        ChatCompletionMessage call = first.choices().get(0).message();
        ChatCompletionMessageFunctionToolCall toolCall = call.toolCalls().orElseThrow().get(0).asFunction();
        assertEquals("call_w1", toolCall.id());
        assertEquals("get_weather", toolCall.function().name());
        assertEquals("{\"city\":\"Paris\"}", toolCall.function().arguments());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason());
        assertEquals(30, first.usage().orElseThrow().totalTokens());

        params.addMessage(call).addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id())
                .content("{\"temperature_c\":18}").build());
        ChatCompletion second = streamed(client, params.build());
        assertEquals("It is 18°C in Paris.", second.choices().get(0).message().content().orElseThrow());
        assertEquals(46, second.usage().orElseThrow().totalTokens());

        JsonObject secondRequest = MockUpstream.last(COMPLETIONS).json();
        JsonObject toolMessage = secondRequest.getJsonArray("messages").getJsonObject(2);
        assertEquals("tool", toolMessage.getString("role"));
        assertEquals("call_w1", toolMessage.getString("tool_call_id"));
        assertEquals("call_w1", secondRequest.getJsonArray("messages").getJsonObject(1).getJsonArray("tool_calls")
                .getJsonObject(0).getString("id"));
    }

    private static ChatCompletion streamed(OpenAIClient client, ChatCompletionCreateParams params) {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.chatCompletion();
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse response = client().embeddings().create(EmbeddingCreateParams.builder()
                .model("openai/text-embedding-3-small").input("hello").build());
        assertEquals(List.of(0.1f, -0.2f, 0.3f), response.data().get(0).embedding());
        assertEquals(3, response.usage().promptTokens());
    }

    @Test
    void modelList() {
        List<String> ids = client().models().list().data().stream().map(Model::id).toList();
        assertTrue(ids.contains("openai/gpt-4o"), ids.toString());
        assertTrue(ids.contains("fast"), ids.toString());
        assertEquals("openai", client().models().retrieve("openai/gpt-4o").ownedBy());
    }

    @Test
    void errorStatusesSurfaceAsTheSdksExceptionTypes() {
        ChatCompletionCreateParams hi = ChatCompletionCreateParams.builder().model("openai/gpt-4o").addUserMessage("Hi").build();

        UnauthorizedException unauthorized = assertThrows(UnauthorizedException.class,
                () -> client("sk-wrong").chat().completions().create(hi));
        assertEquals(401, unauthorized.statusCode());

        NotFoundException notFound = assertThrows(NotFoundException.class, () -> client().chat().completions()
                .create(ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("Hi").build()));
        assertEquals("model_not_found", notFound.code().orElseThrow());

        BadRequestException badRequest = assertThrows(BadRequestException.class, () -> client().chat().completions()
                .create(ChatCompletionCreateParams.builder().model("openai/gpt-4o").addUserMessage("Hi")
                        .temperature(7.0).build()));
        assertEquals("temperature", badRequest.param().orElseThrow());

        MockUpstream.on("POST", COMPLETIONS, ctx -> ctx.response().setStatusCode(429).putHeader("retry-after", "1")
                .putHeader("content-type", "application/json")
                .end("{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"));
        assertThrows(RateLimitException.class, () -> client().chat().completions().create(hi));

        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(403,
                "{\"error\":{\"message\":\"Country not supported\",\"type\":\"invalid_request_error\"}}"));
        assertThrows(PermissionDeniedException.class, () -> client().chat().completions().create(hi));

        OpenAIServiceException upstream = assertThrows(InternalServerException.class, () -> client().chat().completions()
                .create(ChatCompletionCreateParams.builder().model("broken/x").addUserMessage("Hi").build()));
        assertEquals(502, upstream.statusCode());

        // an error before the first byte of a stream surfaces the same way
        assertThrows(NotFoundException.class, () -> {
            try (var s = client().chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                    .model("no-such-model").addUserMessage("Hi").build())) {
                s.stream().count();
            }
        });
    }
}
