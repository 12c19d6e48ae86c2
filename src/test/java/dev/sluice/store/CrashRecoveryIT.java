package dev.sluice.store;

import dev.sluice.testing.Http;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import dev.sluice.testing.VirtualKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 under load, then a restart on the same data directory: every response the load generator received
 * complete has its ledger line, and the key's balance is exactly the sum of its ledger.
 */
class CrashRecoveryIT {

    static MockUpstream mock;
    static Map<String, String> settings;
    static Path dataDir;
    static SluiceProcess instance;

    @BeforeAll
    static void start() throws Exception {
        mock = new MockUpstream();
        settings = new HashMap<>(mock.start());
        dataDir = Files.createTempDirectory("sluice-crash");
        settings.put("sluice.data-dir", dataDir.toString());
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        if (mock != null) {
            mock.stop();
        }
    }

    @Test
    void everyCompleteResponseSurvivesAKill9() throws Exception {
        instance = SluiceProcess.start("crash-1", settings);
        VirtualKeys.Key key = Http.createKey(instance.url(""), "{\"name\":\"crash\",\"credit_usd\":100}");
        MockUpstream.on("POST", "/billed/v1/chat/completions", ctx -> {
            boolean stream = new JsonObject(ctx.body().asString()).getBoolean("stream", false);
            if (stream) {
                MockUpstream.sse(Duration.ofMillis(3), chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null),
                        chunk("{\"content\":\"lo\"}", null), chunk("{}", "stop"), usageChunk(40, 3), "[DONE]").handle(ctx);
            } else {
                MockUpstream.vertx().setTimer(5, t -> MockUpstream.json(200, MockUpstream.completion("Hello", 40, 3))
                        .handle(ctx));
            }
        });

        Set<String> complete = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(16);
        for (int t = 0; t < 16; t++) {
            int thread = t;
            load.submit(() -> {
                for (int n = 0; running.get(); n++) {
                    String id = "crash-" + thread + "-" + n;
                    boolean stream = n % 2 == 1;
                    String body = "{\"model\":\"billed/m\",\"stream\":" + stream + ",\"max_tokens\":50,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";
                    try {
                        HttpResponse<String> r = Http.CLIENT.send(HttpRequest.newBuilder(
                                        URI.create(instance.url("/v1/chat/completions"))).timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + key.secret()).header("x-request-id", id)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        boolean whole = r.statusCode() == 200 && (stream ? r.body().endsWith("data: [DONE]\n\n")
                                : new JsonObject(r.body()).containsKey("choices"));
                        if (whole) {
                            complete.add(id);
                        }
                    } catch (Exception cutOff) {
                        // the instance was killed under this request: not a complete response
                    }
                }
            });
        }
        // kill while 16 clients are mid-request, once a good number of responses have completed
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (complete.size() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        instance.kill9();
        running.set(false);
        load.shutdown();
        assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(complete.size() >= 200, "the load generator got responses before the kill: " + complete.size());

        instance = SluiceProcess.start("crash-2", settings);
        Set<String> recorded = new HashSet<>();
        long balance;
        long ledgerSum;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sluice.db"))) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT request_id FROM sluice_ledger WHERE key_id = ? AND kind = 'request'")) {
                ps.setString(1, key.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        recorded.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT balance_micros, "
                    + "(SELECT SUM(amount_micros) FROM sluice_ledger WHERE key_id = ?) FROM sluice_keys WHERE id = ?")) {
                ps.setString(1, key.id());
                ps.setString(2, key.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    balance = rs.getLong(1);
                    ledgerSum = rs.getLong(2);
                }
            }
        }
        List<String> missing = new ArrayList<>(complete);
        missing.removeAll(recorded);
        assertEquals(List.of(), missing, "complete responses without a ledger line");
        assertEquals(ledgerSum, balance, "balance = sum of the ledger after the crash");
        assertTrue(balance < 100_000_000L);

        // the restarted instance carries on with the same balance
        HttpResponse<String> after = Http.post(instance.url("/v1/chat/completions"), key.secret(),
                "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(200, after.statusCode(), after.body());
        HttpResponse<String> b = Http.get(instance.url("/v1/balance"), key.secret());
        assertEquals(200, b.statusCode());
        assertTrue(new JsonObject(b.body()).getDouble("reserved_usd") == 0.0, b.body());
    }
}
