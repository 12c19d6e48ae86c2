package dev.sluice.logs;

import dev.sluice.billing.LedgerRows;
import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 requests, 50 in flight at once, one in ten streamed: exactly one request-log row each, with the cost the
 * ledger settled, consistent timings, a time to first token for the streams, and no body (bodies are off).
 */
@QuarkusTest
@TestProfile(RequestLogProfile.class)
@WithTestResource(MockUpstream.class)
class RequestLogLoadTest {

    static final int REQUESTS = 10_000;
    static final int IN_FLIGHT = 50;
    /** The "billed" provider: 1 micro-dollar per input token, 2 per output token. */
    static final long WHOLE_COST = 1000 + 2 * 500;
    static final long STREAM_COST = 300 + 2 * 40;

    @Inject
    Database db;
    @Inject
    RequestLog log;
    @TestHTTPResource("/")
    URL base;

    @Test
    void everyRequestUnderLoadGetsExactlyOneRowWithItsCostAndTimings() throws Exception {
        MockUpstream.reset();
        MockUpstream.on("POST", "/billed/v1/chat/completions", ctx -> {
            if (ctx.body().asString().contains("\"stream\":true")) {
                MockUpstream.sse(Duration.ZERO, chunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null),
                        chunk("{}", "stop"), usageChunk(300, 40), "[DONE]").handle(ctx);
            } else {
                MockUpstream.json(200, MockUpstream.completion("Sunny", 1000, 500)).handle(ctx);
            }
        });
        VirtualKeys.Key key = VirtualKeys.withCredit("load", "100");
        double droppedBefore = log.dropped();

        Map<String, Boolean> sent = new ConcurrentHashMap<>(); // request id -> streamed
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
        try {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicInteger finished = new AtomicInteger();
            Runnable[] send = new Runnable[1];
            send[0] = () -> {
                int i = next.getAndIncrement();
                if (i >= REQUESTS) {
                    return;
                }
                boolean stream = i % 10 == 0;
                String body = "{\"model\":\"billed/m\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Request " + i + "\"}]}";
                RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost())
                        .setPort(base.getPort()).setURI("/v1/chat/completions")
                        .putHeader("Authorization", "Bearer " + key.secret())
                        .putHeader("Content-Type", "application/json");
                client.request(options)
                        .compose(req -> req.send(body).compose(resp -> resp.body().map(b -> {
                            if (resp.statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                            sent.put(resp.getHeader("x-request-id"), stream);
                            return b;
                        })))
                        .onComplete(r -> {
                            if (r.failed()) {
                                failures.incrementAndGet();
                            }
                            if (finished.incrementAndGet() == REQUESTS) {
                                done.complete(null);
                            } else {
                                send[0].run();
                            }
                        });
            };
            for (int i = 0; i < IN_FLIGHT; i++) {
                send[0].run();
            }
            done.get(120, TimeUnit.SECONDS);
            assertEquals(0, failures.get());
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close();
        }
        assertEquals(REQUESTS, sent.size());

        assertEquals(REQUESTS, LogRows.awaitCount(db, key.id(), REQUESTS, Duration.ofSeconds(60)));
        assertEquals(droppedBefore, log.dropped(), "no row was dropped");
        List<Map<String, Object>> rows = LogRows.forKey(db, key.id());
        assertEquals(REQUESTS, rows.size());

        Map<String, Long> ledgerCost = new HashMap<>();
        for (Map<String, Object> l : LedgerRows.requests(LedgerRows.forKey(db, key.id()))) {
            ledgerCost.put((String) l.get("request_id"), ((Number) l.get("cost_micros")).longValue());
        }
        Set<String> ids = new HashSet<>();
        int streams = 0;
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("request_id");
            assertTrue(ids.add(id), "one row per request: " + id);
            Boolean streamed = sent.get(id);
            assertNotNull(streamed, "a row for a request that was sent: " + id);
            assertEquals(streamed ? 1 : 0, num(row, "stream"));
            assertEquals(streamed ? STREAM_COST : WHOLE_COST, num(row, "cost_micros"), id);
            assertEquals(ledgerCost.get(id), num(row, "cost_micros"), "the ledger's cost: " + id);
            assertEquals(streamed ? 300 : 1000, num(row, "prompt_tokens"));
            assertEquals(streamed ? 40 : 500, num(row, "completion_tokens"));
            assertEquals(200, num(row, "status"));
            assertEquals("ok", row.get("outcome"));
            assertEquals("billed/m", row.get("requested_model"));
            assertEquals("m", row.get("served_model"));
            assertEquals("billed", row.get("provider"));
            assertEquals("chat", row.get("protocol"));
            assertEquals(1, num(row, "attempts"));
            long duration = num(row, "duration_us");
            long overhead = num(row, "overhead_us");
            assertTrue(duration > 0, "duration " + duration);
            assertTrue(overhead >= 0 && overhead <= duration, "overhead " + overhead + " of " + duration);
            if (streamed) {
                streams++;
                long ttft = num(row, "ttft_us");
                assertTrue(ttft > 0 && ttft <= duration, "ttft " + ttft + " of " + duration);
            } else {
                assertNull(row.get("ttft_us"));
            }
            assertNull(row.get("request_body"), "bodies are off");
            assertNull(row.get("response_body"), "bodies are off");
        }
        assertEquals(REQUESTS / 10, streams);
    }

    private static long num(Map<String, Object> row, String column) {
        Object v = row.get(column);
        assertNotNull(v, column);
        return ((Number) v).longValue();
    }
}
