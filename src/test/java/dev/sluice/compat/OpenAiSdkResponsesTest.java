package dev.sluice.compat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sluice's Responses API driven by the official OpenAI Java SDK ({@code client.responses()}: create,
 * createStreaming, retrieve, delete), changing nothing but the base URL, in front of an upstream that speaks the
 * Responses API (passed through) and one that speaks Anthropic's Messages API (translated).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class OpenAiSdkResponsesTest {

    static final String OPENAI_RESPONSE = """
            {"id": "resp_sdk_1", "object": "response", "created_at": 1741476542, "status": "completed",
             "error": null, "incomplete_details": null, "instructions": null, "max_output_tokens": null,
             "model": "gpt-4.1-2025-04-14",
             "output": [{"type": "message", "id": "msg_sdk_1", "status": "completed", "role": "assistant",
               "content": [{"type": "output_text", "text": "Lumina the unicorn slept.", "annotations": []}]}],
             "parallel_tool_calls": true, "previous_response_id": null, "reasoning": {"effort": null, "summary": null},
             "store": true, "temperature": 1.0, "text": {"format": {"type": "text"}}, "tool_choice": "auto",
             "tools": [], "top_p": 1.0, "truncation": "disabled",
             "usage": {"input_tokens": 36, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 87,
               "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 123},
             "user": null, "metadata": {}}
            """;

    static final String OPENAI_STREAM = """
            event: response.created
            data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_sdk_2","object":"response","created_at":1741290958,"status":"in_progress","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-4.1","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}

            event: response.output_item.added
            data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_2","type":"message","status":"in_progress","role":"assistant","content":[]}}

            event: response.content_part.added
            data: {"type":"response.content_part.added","sequence_number":2,"item_id":"msg_2","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_2","output_index":0,"content_index":0,"delta":"Lumina","logprobs":[]}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_2","output_index":0,"content_index":0,"delta":" slept.","logprobs":[]}

            event: response.output_text.done
            data: {"type":"response.output_text.done","sequence_number":5,"item_id":"msg_2","output_index":0,"content_index":0,"text":"Lumina slept.","logprobs":[]}

            event: response.content_part.done
            data: {"type":"response.content_part.done","sequence_number":6,"item_id":"msg_2","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Lumina slept.","annotations":[]}}

            event: response.output_item.done
            data: {"type":"response.output_item.done","sequence_number":7,"output_index":0,"item":{"id":"msg_2","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Lumina slept.","annotations":[]}]}}

            event: response.completed
            data: {"type":"response.completed","sequence_number":8,"response":{"id":"resp_sdk_2","object":"response","created_at":1741290958,"status":"completed","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-4.1","output":[{"id":"msg_2","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Lumina slept.","annotations":[]}]}],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":13},"user":null,"metadata":{}}}
            """;

    static final String ANTHROPIC_MESSAGE = """
            {"id": "msg_a1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
             "content": [{"type": "text", "text": "Lumina the unicorn slept."}], "stop_reason": "end_turn",
             "usage": {"input_tokens": 20, "output_tokens": 6}}
            """;

    static final String ANTHROPIC_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_a2","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":10,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Lumina"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" slept."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}

            event: message_stop
            data: {"type":"message_stop"}
            """;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().apiKey(MockUpstream.MASTER_KEY)
                .baseUrl("http://localhost:" + io.restassured.RestAssured.port + "/v1")
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("POST", "/openai/v1/responses", ctx -> {
            boolean stream = ctx.body().asJsonObject().getBoolean("stream", false);
            (stream ? MockUpstream.recordedSse(Duration.ZERO, OPENAI_STREAM)
                    : MockUpstream.json(200, OPENAI_RESPONSE)).handle(ctx);
        });
        MockUpstream.on("POST", "/anthropic/v1/messages", ctx -> {
            boolean stream = ctx.body().asJsonObject().getBoolean("stream", false);
            (stream ? MockUpstream.recordedSse(Duration.ZERO, ANTHROPIC_STREAM)
                    : MockUpstream.json(200, ANTHROPIC_MESSAGE)).handle(ctx);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai/gpt-4.1", "anthropic/claude-sonnet-4-5"})
    void createRetrieveDelete(String model) {
        OpenAIClient client = client();
        Response created = client.responses().create(ResponseCreateParams.builder().model(model)
                .input("Tell me a one sentence bedtime story about a unicorn.").maxOutputTokens(200L).build());
        assertEquals("Lumina the unicorn slept.",
                created.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        assertTrue(created.usage().orElseThrow().totalTokens() > 0);

        Response retrieved = client.responses().retrieve(created.id());
        assertEquals(created.id(), retrieved.id());
        assertEquals("Lumina the unicorn slept.",
                retrieved.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());

        client.responses().delete(created.id());
        assertThrows(NotFoundException.class, () -> client.responses().retrieve(created.id()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai/gpt-4.1", "anthropic/claude-sonnet-4-5"})
    void createStreaming(String model) {
        StringBuilder text = new StringBuilder();
        Response completed;
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(
                ResponseCreateParams.builder().model(model).input("Tell me a story.").maxOutputTokens(200L).build())) {
            List<ResponseStreamEvent> events = stream.stream().toList();
            events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
            completed = events.get(events.size() - 1).completed().orElseThrow().response();
        }
        assertEquals("Lumina slept.", text.toString());
        assertEquals("Lumina slept.",
                completed.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        assertEquals(13, completed.usage().orElseThrow().totalTokens());
        // stored when the stream completed
        assertEquals(completed.id(), client().responses().retrieve(completed.id()).id());
    }
}
