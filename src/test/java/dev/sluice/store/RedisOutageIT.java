package dev.sluice.store;

import dev.sluice.testing.Http;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import dev.sluice.testing.VirtualKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With its Redis unreachable, Sluice refuses metered requests with a clear 503 rather than guessing or hanging. */
class RedisOutageIT {

    static MockUpstream mock;
    static SluiceProcess instance;

    @BeforeAll
    static void start() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        mock = new MockUpstream();
        Map<String, String> settings = new HashMap<>(mock.start());
        settings.put("sluice.data-dir", Files.createTempDirectory("sluice-redis-down").toString());
        settings.put("sluice.store.redis-url", "redis://127.0.0.1:" + deadPort);
        instance = SluiceProcess.start("redis-down", settings);
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
    void meteredRequestsGetA503AndNeverReachTheProvider() throws Exception {
        MockUpstream.reset();
        VirtualKeys.Key key = Http.createKey(instance.url(""), "{\"name\":\"no-redis\",\"credit_usd\":1,\"rpm\":5}");
        HttpResponse<String> r = Http.post(instance.url("/v1/chat/completions"), key.secret(),
                "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("store_unavailable", new JsonObject(r.body()).getJsonObject("error").getString("code"));
        assertTrue(MockUpstream.received().isEmpty());
        // the master key does not depend on shared quotas
        HttpResponse<String> master = Http.post(instance.url("/v1/chat/completions"), MockUpstream.MASTER_KEY,
                "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(200, master.statusCode(), master.body());
        // and the replica says it is not ready, so that a load balancer sends metered traffic elsewhere
        HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(instance.url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"redis\": \"down\"") || ready.body().contains("\"redis\":\"down\""),
                ready.body());
    }
}
