package dev.sluice.compat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
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
import com.openai.models.completions.CompletionUsage;
import dev.sluice.testing.JsonAssert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * One streamed, multi-turn, tool-calling conversation driven by the official OpenAI Java SDK, the way an
 * application runs it: ask about the weather in Paris offering a {@code get_weather} tool, receive the streamed
 * tool call, send back the tool result, receive the streamed final answer; usage asked for on both turns.
 *
 * <p>Reusable for every provider kind: a test programs its mock upstream to answer the two turns in the
 * provider's own protocol with the same content (the call {@code get_weather({"city":"Paris"})} with 20 prompt and
 * 10 completion tokens, then "It is 18°C in Paris." with 40 and 6), runs the conversation against
 * {@code <provider>/<model>}, and checks with {@link #assertStandardShape} that the SDK saw what it sees from
 * OpenAI. What each upstream received in between is the provider test's own business.
 */
final class ToolConversation {

    static final String QUESTION = "What's the weather in Paris?";
    static final String TOOL_RESULT = "{\"temperature_c\":18}";
    static final String ANSWER = "It is 18°C in Paris.";

    /** The two turns as the SDK accumulated them. */
    record Result(ChatCompletion call, ChatCompletion answer) {

        ChatCompletionMessageFunctionToolCall toolCall() {
            return call.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        }

        /** What the conversation amounts to, without provider-specific ids: comparable across providers. */
        List<Object> shape() {
            List<Object> out = new ArrayList<>();
            for (ChatCompletion c : List.of(call, answer)) {
                ChatCompletion.Choice choice = c.choices().get(0);
                ChatCompletionMessage m = choice.message();
                out.add(c.choices().size());
                out.add(m.content().filter(s -> !s.isEmpty()).orElse(null));
                out.add(m.toolCalls().map(calls -> calls.stream().map(t -> t.asFunction().function().name() + "("
                        + JsonAssert.parse(t.asFunction().function().arguments()) + ")").toList()).orElse(List.of()));
                out.add(choice.finishReason());
                CompletionUsage u = c.usage().orElseThrow();
                out.add(List.of(u.promptTokens(), u.completionTokens(), u.totalTokens()));
            }
            return out;
        }
    }

    private ToolConversation() {
    }

    static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl("http://localhost:" + io.restassured.RestAssured.port + "/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    static Result run(OpenAIClient client, String model) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model)
                .addUserMessage(QUESTION)
                .addFunctionTool(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build()).build())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        ChatCompletion first = streamed(client, params.build());
        ChatCompletionMessage call = first.choices().get(0).message();
        String callId = call.toolCalls().orElseThrow().get(0).asFunction().id();
        params.addMessage(call).addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId)
                .content(TOOL_RESULT).build());
        return new Result(first, streamed(client, params.build()));
    }

    private static ChatCompletion streamed(OpenAIClient client, ChatCompletionCreateParams params) {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.chatCompletion();
    }

    /** The conversation as the SDK sees it from OpenAI, with the upstream's own tool-call id kept. */
    static void assertStandardShape(Result result, String expectedCallId) {
        ChatCompletionMessageFunctionToolCall toolCall = result.toolCall();
        assertEquals(expectedCallId, toolCall.id());
        assertEquals("get_weather", toolCall.function().name());
        JsonAssert.assertJson("{\"city\":\"Paris\"}", toolCall.function().arguments());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, result.call().choices().get(0).finishReason());
        assertEquals(30, result.call().usage().orElseThrow().totalTokens());
        assertFalse(result.call().id().isEmpty());

        assertEquals(ANSWER, result.answer().choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, result.answer().choices().get(0).finishReason());
        CompletionUsage usage = result.answer().usage().orElseThrow();
        assertEquals(40, usage.promptTokens());
        assertEquals(6, usage.completionTokens());
        assertEquals(46, usage.totalTokens());
    }
}
