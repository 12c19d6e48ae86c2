package dev.sluice.billing;

import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settlement of streams translated from Anthropic's and Gemini's protocols, whole and aborted: it reads only the
 * OpenAI-format usage the adapters produce, so the arithmetic is the OpenAI stream's. Prices for the two test
 * models: $1 input, $2 output, $0.50 cached input, $1.25 cache write per million tokens.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ProviderSettlementTest {

    static final String ANTHROPIC = "/anthropic/v1/messages";
    static final String GEMINI_STREAM = "/gemini/v1beta/models/gemini-test:streamGenerateContent";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    static String ask(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":600,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]}";
    }

    /** Writes Anthropic events ({@code event:} and {@code data:} lines), then ends unless told to hang. */
    static Handler<RoutingContext> anthropic(boolean hang, String... events) {
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            for (String e : events) {
                String type = e.substring(e.indexOf("\"type\":\"") + 8, e.indexOf('"', e.indexOf("\"type\":\"") + 8));
                ctx.response().write("event: " + type + "\ndata: " + e + "\n\n");
            }
            if (!hang) {
                ctx.response().end();
            }
        };
    }

    static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],\"stop_reason\":null,"
            + "\"usage\":{\"input_tokens\":1000,\"cache_read_input_tokens\":200,\"cache_creation_input_tokens\":100,"
            + "\"output_tokens\":1}}}";
    static final String BLOCK = "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
    static final String DELTA = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"The weather in Paris is mild and pleasant today\"}}";

    private Map<String, Object> onlyRow(String keyId) throws InterruptedException {
        List<Map<String, Object>> rows = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rows.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            rows = LedgerRows.requests(LedgerRows.forKey(db, keyId));
        }
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private void assertBalance(String keyId, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (LedgerRows.balance(db, keyId) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, LedgerRows.balance(db, keyId));
    }

    @Test
    void anAnthropicStreamIsSettledFromTheUsageItReportsCacheReadsAndWritesIncluded() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("anthropic-stream", "1");
        MockUpstream.on("POST", ANTHROPIC, anthropic(false, START, BLOCK, DELTA,
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":500}}",
                "{\"type\":\"message_stop\"}"));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", ask("anthropic/claude-test"))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertTrue(result.events().get(result.events().size() - 1).done());
        assertTrue(result.chunks().stream().noneMatch(c -> c.containsKey("usage") && c.getValue("usage") != null),
                "the client did not ask for usage, so it sees none");

        Map<String, Object> row = onlyRow(key.id());
        assertEquals(1300L, ((Number) row.get("prompt_tokens")).longValue(), "input + cache reads + cache writes");
        assertEquals(200L, ((Number) row.get("cached_tokens")).longValue());
        assertEquals(500L, ((Number) row.get("completion_tokens")).longValue());
        // 1000 uncached x 1 + 200 cached x 0.5 + 100 written x 1.25 + 500 output x 2 micro-dollars
        assertEquals(2225L, ((Number) row.get("cost_micros")).longValue());
        assertEquals(0, ((Number) row.get("estimated")).intValue());
        assertBalance(key.id(), 1_000_000L - 2225L);
    }

    @Test
    void aGeminiStreamIsSettledFromItsUsageMetadata() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("gemini-stream", "1");
        MockUpstream.on("POST", GEMINI_STREAM, MockUpstream.sse(Duration.ZERO,
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Mild and \"}],\"role\":\"model\"},\"index\":0}],"
                        + "\"responseId\":\"g1\",\"modelVersion\":\"gemini-test\"}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"pleasant.\"}],\"role\":\"model\"},"
                        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1000,"
                        + "\"candidatesTokenCount\":500,\"cachedContentTokenCount\":200,\"totalTokenCount\":1500},"
                        + "\"responseId\":\"g1\",\"modelVersion\":\"gemini-test\"}"));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", ask("gemini/gemini-test"))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertTrue(result.events().get(result.events().size() - 1).done(), result.rawBody());

        Map<String, Object> row = onlyRow(key.id());
        assertEquals(1000L, ((Number) row.get("prompt_tokens")).longValue());
        assertEquals(200L, ((Number) row.get("cached_tokens")).longValue());
        assertEquals(500L, ((Number) row.get("completion_tokens")).longValue());
        // 800 uncached x 1 + 200 cached x 0.5 + 500 output x 2
        assertEquals(1900L, ((Number) row.get("cost_micros")).longValue());
        assertBalance(key.id(), 1_000_000L - 1900L);
    }

    /** Reads a stream until {@code text} has arrived, then hangs up. */
    private static void readUntilThenAbort(VirtualKeys.Key key, String model, String text) throws Exception {
        var response = Sse.open(Sse.post("/v1/chat/completions", ask(model))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        InputStream in = response.body();
        byte[] buffer = new byte[4096];
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(text)) {
            int n = in.read(buffer);
            assertTrue(n > 0, "the stream started");
            seen.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
        }
        in.close();
    }

    @Test
    void anAbortedAnthropicStreamIsChargedForWhatWasProduced() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("anthropic-abort", "1");
        MockUpstream.on("POST", ANTHROPIC, anthropic(true, START, BLOCK, DELTA));
        readUntilThenAbort(key, "anthropic/claude-test", "mild and pleasant");

        Map<String, Object> row = onlyRow(key.id());
        assertEquals("aborted", row.get("outcome"));
        assertEquals(1, ((Number) row.get("estimated")).intValue());
        // message_start reported the prompt exactly: 1000 input + 200 cache reads + 100 cache writes
        assertEquals(1300L, ((Number) row.get("prompt_tokens")).longValue());
        assertEquals(200L, ((Number) row.get("cached_tokens")).longValue());
        long completion = ((Number) row.get("completion_tokens")).longValue();
        // 48 characters, about ten tokens; the estimate for non-OpenAI models errs on the high side
        assertTrue(completion >= 8 && completion <= 20, "about ten tokens were relayed: " + completion);
        long cost = ((Number) row.get("cost_micros")).longValue();
        // 1000 x 1 + 200 x 0.5 + 100 x 1.25 for the prompt, 2 per output token
        assertEquals(1225 + 2 * completion, cost);
        assertBalance(key.id(), 1_000_000L - cost);
    }

    @Test
    void anAbortedGeminiStreamIsChargedThePromptItReported() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("gemini-abort", "1");
        MockUpstream.on("POST", GEMINI_STREAM, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Mild and pleasant, "
                    + "with a light breeze\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{"
                    + "\"promptTokenCount\":2400,\"cachedContentTokenCount\":400,\"candidatesTokenCount\":3,"
                    + "\"totalTokenCount\":2403},\"responseId\":\"g2\",\"modelVersion\":\"gemini-test\"}\n\n");
            // and nothing more: the client gives up first
        });
        readUntilThenAbort(key, "gemini/gemini-test", "light breeze");

        Map<String, Object> row = onlyRow(key.id());
        assertEquals("aborted", row.get("outcome"));
        assertEquals(1, ((Number) row.get("estimated")).intValue());
        assertEquals(2400L, ((Number) row.get("prompt_tokens")).longValue(), "the prompt Gemini reported");
        assertEquals(400L, ((Number) row.get("cached_tokens")).longValue());
        long completion = ((Number) row.get("completion_tokens")).longValue();
        assertTrue(completion >= 3, "at least what Gemini counted: " + completion);
        long cost = ((Number) row.get("cost_micros")).longValue();
        // 2000 uncached x 1 + 400 cached x 0.5, 2 per output token
        assertEquals(2200 + 2 * completion, cost);
        assertBalance(key.id(), 1_000_000L - cost);
    }
}
