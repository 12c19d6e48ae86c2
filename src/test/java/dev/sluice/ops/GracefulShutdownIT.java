package dev.sluice.ops;

import dev.sluice.billing.LedgerRows;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.sluice.testing.MockUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM during a stream, against the packaged application: readiness turns down, new requests are refused once
 * the shutdown delay is over, the in-flight stream runs to its end, its ledger line is on disk when the process has
 * exited, and the process exits cleanly. Every wait is a poll with a generous deadline, so a slow machine makes the
 * test slower, not flaky; every HTTP call has a timeout, so a hang fails instead of stalling the build.
 */
class GracefulShutdownIT {

    private static final int PARTS = 20;
    private static final Duration CHUNK_PACE = Duration.ofMillis(300);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static MockUpstream upstream = new MockUpstream();
    static Map<String, String> settings;
    static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        settings = new HashMap<>(upstream.start());
        dataDir = Files.createTempDirectory("sluice-graceful-shutdown");
        settings.put("sluice.data-dir", dataDir.toString());
        settings.put("quarkus.shutdown.delay", "1s");
        settings.put("quarkus.shutdown.timeout", "30s");
        // the pace of the stream is the mock's; a busy machine must not turn a slow first chunk into a timeout
        settings.put("sluice.upstream.stream-idle-timeout", "30s");
    }

    @AfterAll
    static void stop() {
        upstream.stop();
    }

    @Test
    void anInFlightStreamFinishesAfterSigtermWhileNewRequestsAreRefusedAndItsUsageIsRecorded() throws Exception {
        // a stream of 1 + PARTS + 1 chunks and [DONE], one every 300 ms: about 7 s in all
        String[] events = new String[PARTS + 3];
        events[0] = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null);
        for (int i = 1; i <= PARTS; i++) {
            events[i] = chunk("{\"content\":\"part " + i + " \"}", null);
        }
        events[PARTS + 1] = chunk("{}", "stop");
        events[PARTS + 2] = "[DONE]";
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.sse(CHUNK_PACE, events));
        String requestId = "graceful-stream-" + System.nanoTime();

        try (SluiceProcess gateway = SluiceProcess.start("graceful-shutdown", settings)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(
                            URI.create(gateway.url("/v1/chat/completions")))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                    .header("Content-Type", "application/json")
                    .header("x-request-id", requestId)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode(), () -> log(gateway));

            // the body is read on its own thread: the test waits for it with a deadline, never on a blocking read
            List<String> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith("data: ")) {
                            received.add(line.substring(6));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("the stream broke after " + received.size() + " events", e);
                }
            });
            awaitTrue(() -> !received.isEmpty(), "the first chunk arrives");

            gateway.terminate(); // SIGTERM with the stream in flight

            HttpResponse<String> ready = pollUntil(client, gateway.url("/q/health/ready"), null,
                    r -> r.statusCode() == 503, "readiness turns down");
            assertTrue(ready.body().contains("DOWN"), ready.body());

            // once the shutdown delay (1 s) is over, a new API request is refused while the stream still runs
            HttpResponse<String> late = pollUntil(client, gateway.url("/v1/models"), MockUpstream.MASTER_KEY,
                    r -> r.statusCode() == 503, "new requests are refused");
            assertTrue(late.body().contains("\"code\":\"shutting_down\""), late.body());
            assertEquals("1", late.headers().firstValue("retry-after").orElse(null));
            assertFalse(reading.isDone(), "the stream is still in flight when new requests are refused");
            assertTrue(received.size() < events.length, "the stream has not ended yet: " + received);

            reading.get(DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
            assertEquals(events.length, received.size(), "every chunk arrived: " + received);
            assertTrue(received.get(PARTS).contains("part " + PARTS + " "), received.get(PARTS));
            assertEquals("[DONE]", received.get(events.length - 1));

            assertTrue(gateway.process().waitFor(60, TimeUnit.SECONDS), "the process exits after the drain");
            int exit = gateway.process().exitValue();
            assertTrue(exit == 0 || exit == 143, "clean exit, not " + exit + ": " + log(gateway));
        }

        // the ledger was flushed before the exit: the streamed request has its line in the embedded store
        List<Map<String, Object>> rows = ledgerRows(requestId);
        assertEquals(1, rows.size(), "one ledger line for the streamed request: " + rows);
        Map<String, Object> row = rows.get(0);
        assertEquals("request", row.get("kind"));
        assertEquals(1, ((Number) row.get("stream")).intValue());
        assertEquals(200, ((Number) row.get("status")).intValue());
        assertEquals("ok", row.get("outcome"));
        assertEquals("openai", row.get("provider"));
        assertTrue(((Number) row.get("completion_tokens")).longValue() > 0, "what was streamed is counted: " + row);
    }

    private static List<Map<String, Object>> ledgerRows(String requestId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sluice.db"))) {
            return LedgerRows.query(c, "SELECT * FROM sluice_ledger WHERE request_id = ?", requestId);
        }
    }

    /** GETs {@code url} until {@code done} holds for the answer, within {@link #DEADLINE}. */
    private static HttpResponse<String> pollUntil(HttpClient client, String url, String bearer,
                                                  Predicate<HttpResponse<String>> done, String what) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            last = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": not within " + DEADLINE.toSeconds() + " s; last answer "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + DEADLINE.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private static String log(SluiceProcess gateway) {
        try {
            return gateway.log();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
