package dev.sluice.ops;

import dev.sluice.testing.SluiceProcess;
import dev.sluice.testing.MockUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.MockUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM during a stream, against the packaged application: readiness turns down, new requests are refused, the
 * in-flight stream runs to its end, and the process then exits cleanly.
 */
class GracefulShutdownIT {

    static MockUpstream upstream = new MockUpstream();
    static Map<String, String> settings;

    @BeforeAll
    static void start() {
        settings = new HashMap<>(upstream.start());
    }

    @AfterAll
    static void stop() {
        upstream.stop();
    }

    @Test
    void anInFlightStreamFinishesAfterSigtermWhileNewRequestsAreRefused() throws Exception {
        String[] events = new String[13];
        events[0] = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null);
        for (int i = 1; i <= 10; i++) {
            events[i] = chunk("{\"content\":\"part " + i + " \"}", null);
        }
        events[11] = chunk("{}", "stop");
        events[12] = "[DONE]";
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.sse(Duration.ofMillis(300), events));
        settings.put("quarkus.shutdown.delay", "1s");
        settings.put("quarkus.shutdown.timeout", "20s");

        try (SluiceProcess gateway = SluiceProcess.start("graceful-shutdown", settings)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(
                            URI.create(gateway.url("/v1/chat/completions")))
                    .header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode(), () -> { try { return gateway.log(); } catch (Exception e) { return ""; } });
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            List<String> received = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null && received.isEmpty()) {
                if (line.startsWith("data: ")) {
                    received.add(line.substring(6));
                }
            }

            long sigterm = System.nanoTime();
            gateway.terminate(); // SIGTERM with the stream in flight
            Thread.sleep(300);
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/q/health/ready")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), "readiness turns down at once: " + ready.body());

            // once the shutdown delay (1 s) is over, a new request is refused while the stream is still running
            Thread.sleep(Math.max(0, 1500 - (System.nanoTime() - sigterm) / 1_000_000));
            HttpResponse<String> late = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/models")))
                    .header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, late.statusCode(), late.body());
            assertTrue(late.body().contains("\"code\":\"shutting_down\""), late.body());
            assertEquals("1", late.headers().firstValue("retry-after").orElse(null));

            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    received.add(line.substring(6));
                }
            }
            assertEquals(13, received.size(), "every chunk arrived: " + received);
            assertEquals("[DONE]", received.get(12));

            assertTrue(gateway.process().waitFor(30, TimeUnit.SECONDS), "the process exits after the drain");
            String log = gateway.log();
            assertTrue(gateway.process().exitValue() == 0 || gateway.process().exitValue() == 143, log);
        }
    }

}
