package dev.sluice.provider;

import dev.sluice.openai.ChatChunk;
import dev.sluice.openai.ContentPart;
import dev.sluice.openai.TokenUsage;
import dev.sluice.openai.DataUrl;
import dev.sluice.openai.FinishReason;
import dev.sluice.openai.StreamChunks;
import dev.sluice.openai.CompletionBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sluice.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared pieces translating adapters are built from. */
class TranslationToolkitTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void dataUrlsGiveTheirMediaTypeAndBase64Payload() {
        DataUrl png = DataUrl.parse("data:image/PNG;base64,iVBORw0KGgo=").orElseThrow();
        assertEquals("image/png", png.mediaType());
        assertEquals("iVBORw0KGgo=", png.base64());
        DataUrl text = DataUrl.parse("data:,Hello%2C%20World").orElseThrow();
        assertEquals("text/plain", text.mediaType());
        assertEquals("SGVsbG8sIFdvcmxk", text.base64());
        assertTrue(DataUrl.parse("https://example.com/a.png").isEmpty());
        assertTrue(DataUrl.parse("data:image/png;base64").isEmpty());
        assertFalse(png.toString().contains("iVBOR"), "payloads stay out of logs");
    }

    @Test
    void contentPartsAreTypedAndKnowWhereTheyAre() {
        List<ContentPart> parts = ContentPart.parse(MAPPER.valueToTree(List.of(
                Map.of("type", "text", "text", "hi", "cache_control", Map.of("type", "ephemeral")),
                Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64,AA==", "detail", "low")),
                Map.of("type", "input_audio", "input_audio", Map.of("data", "UklG", "format", "wav")),
                Map.of("type", "file", "file", Map.of("file_id", "file-1")),
                Map.of("type", "document", "source", Map.of()))), "messages[3].content");
        ContentPart.Text text = assertInstanceOf(ContentPart.Text.class, parts.get(0));
        assertEquals("ephemeral", text.cacheControl().path("type").asText());
        ContentPart.Image image = assertInstanceOf(ContentPart.Image.class, parts.get(1));
        assertTrue(image.inline());
        assertEquals("low", image.detail());
        assertEquals("messages[3].content[1]", image.param());
        assertInstanceOf(ContentPart.Audio.class, parts.get(2));
        assertEquals("file-1", assertInstanceOf(ContentPart.File.class, parts.get(3)).fileId());
        assertEquals("document", assertInstanceOf(ContentPart.Other.class, parts.get(4)).type());
        assertEquals(List.of(new ContentPart.Text("plain", null, "messages[0].content")),
                ContentPart.parse(MAPPER.valueToTree("plain"), "messages[0].content"));

        ApiException missing = assertThrows(ApiException.class, () -> ContentPart.parse(MAPPER.valueToTree(List.of(
                Map.of("type", "image_url", "image_url", Map.of()))), "messages[0].content"));
        assertEquals("messages[0].content[0].image_url.url", missing.param());
    }

    @Test
    void streamChunksPutTheRoleOnTheFirstChunkWhateverItCarries() {
        StreamChunks chunks = new StreamChunks(MAPPER, "id-1", 1700000000, "m");
        assertJson("""
                {"id": "id-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "m",
                 "choices": [{"index": 0, "delta": {"role": "assistant", "reasoning_content": "hmm"},
                              "logprobs": null, "finish_reason": null}]}
                """, chunks.reasoning("hmm").json().toString());
        assertJson("""
                {"id": "id-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "m",
                 "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 1, "function": {"arguments": "{\\"a\\""}}]},
                              "logprobs": null, "finish_reason": null}]}
                """, chunks.toolCallArguments(1, "{\"a\"").json().toString());
        ChatChunk hidden = chunks.usage(new TokenUsage(10, 5, 4, 0, 2), false);
        assertTrue(hidden.dropped());
        assertJson("""
                {"id": "id-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "m", "choices": [],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                           "prompt_tokens_details": {"cached_tokens": 4},
                           "completion_tokens_details": {"reasoning_tokens": 2}}}
                """, hidden.json().toString());
    }

    @Test
    void aCompletionHasNullContentWhenItOnlyCallsTools() {
        assertJson("""
                {"id": "c", "object": "chat.completion", "created": 5, "model": "m",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": null,
                    "tool_calls": [{"id": "t", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
                   "logprobs": null, "finish_reason": "tool_calls"}]}
                """, new CompletionBuilder(MAPPER.getNodeFactory(), "c", 5, "m").toolCall("t", "f", "{}")
                .finish(FinishReason.TOOL_CALLS).build().toString());
    }

    /** The translator emits each event's chunks at once, before the upstream sends the next event. */
    @Test
    void translatedStreamsEmitPerEventAndFailWhenCut() {
        StreamTranslator<String> echo = new StreamTranslator<>() {
            final StreamChunks chunks = new StreamChunks(MAPPER, "s", 1, "m");
            boolean ended;

            @Override
            public void onEvent(String event, List<ChatChunk> out) {
                if (event.equals("end")) {
                    ended = true;
                } else if (!event.equals("ping")) {
                    out.add(chunks.text(event));
                }
            }

            @Override
            public void onEnd(List<ChatChunk> out) {
                if (!ended) {
                    throw UpstreamException.badResponse("p", "cut");
                }
                out.add(chunks.finish(FinishReason.STOP));
            }
        };
        UnicastProcessor<String> upstream = UnicastProcessor.create();
        AssertSubscriber<ChatChunk> client = StreamTranslator.translate(upstream, echo)
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        upstream.onNext("a");
        assertEquals(1, client.getItems().size(), "the first chunk left before the stream went on");
        upstream.onNext("ping");
        upstream.onNext("b");
        upstream.onNext("end");
        upstream.onComplete();
        client.assertCompleted();
        assertEquals(3, client.getItems().size());
        assertEquals("stop", client.getItems().get(2).json().at("/choices/0/finish_reason").asText());

        AssertSubscriber<ChatChunk> cut = StreamTranslator.translate(Multi.createFrom().items("a"), new StreamTranslator<>() {
            @Override
            public void onEvent(String event, List<ChatChunk> out) {
            }

            @Override
            public void onEnd(List<ChatChunk> out) {
                throw UpstreamException.badResponse("p", "cut");
            }
        }).subscribe().withSubscriber(AssertSubscriber.create(10));
        cut.assertFailedWith(UpstreamException.class);
    }

    @Test
    void modelTablesTakeTheLongestPrefix() {
        ModelTable<Integer> caps = new ModelTable<>(Map.of("claude-3", 4096, "claude-3-5*", 8192), 16384);
        assertEquals(8192, caps.lookup("claude-3-5-haiku-latest"));
        assertEquals(4096, caps.lookup("claude-3-opus-20240229"));
        assertEquals(16384, caps.lookup("claude-sonnet-4-5"));
    }

    @Test
    void providerOptionsAreReadStrictly() {
        ProviderOptions options = new ProviderOptions("p", Map.of("max-tokens", "a=1, b=2", "max-tokens.b", "3",
                "limit", "x", "mode", "Fast"));
        assertEquals(Map.of("a", 1, "b", 3), options.keyedIntegers("max-tokens"));
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> options.integer("limit", 1));
        assertTrue(bad.getMessage().contains("sluice.providers.p.options.limit"), bad.getMessage());
        assertEquals("fast", options.choice("mode", "slow", "slow", "fast"));
        assertThrows(IllegalStateException.class, () -> options.choice("mode", "slow", "slow"));
    }
}
