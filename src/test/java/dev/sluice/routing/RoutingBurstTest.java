package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.testing.MockUpstream.MASTER_KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance burst: 1,000 requests, 50 at a time, on a group of three deployments of which one is dead
 * (connection refused) and one answers 429 every other time. No client may see an error.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RoutingBurstTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        given().auth().oauth2(MASTER_KEY).post("/admin/routes/reset").then().statusCode(200);
    }

    @Test
    void aThousandRequestsOnADeadAndAFlakyAndAHealthyDeploymentAllSucceed() throws Exception {
        AtomicInteger flakyCalls = new AtomicInteger();
        MockUpstream.on("POST", "/rt/burst-flaky/v1/chat/completions", ctx ->
                (flakyCalls.incrementAndGet() % 2 == 1 ? MockUpstream.rateLimited(null) : MockUpstream.healthy())
                        .handle(ctx));

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore concurrency = new Semaphore(50);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            concurrency.acquire();
            HttpRequest request = Sse.post("/v1/chat/completions",
                    "{\"model\":\"burst\",\"messages\":[{\"role\":\"user\",\"content\":\"burst " + i + "\"}]}")
                    .timeout(Duration.ofSeconds(60)).build();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, f) -> {
                concurrency.release();
                if (f != null) {
                    failures.add(String.valueOf(f));
                    return;
                }
                statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                servedBy.computeIfAbsent(r.headers().firstValue("x-sluice-deployment").orElse("?"),
                        k -> new AtomicInteger()).incrementAndGet();
                if (r.statusCode() != 200) {
                    failures.add(r.statusCode() + " " + r.body());
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("Routing burst: 1000 requests in %d ms; statuses %s; served by %s; flaky deployment called %d "
                + "times%n", elapsedMs, new TreeMap<>(statuses), new TreeMap<>(servedBy), flakyCalls.get());
        assertTrue(failures.isEmpty(), failures.size() + " client-visible errors, e.g. "
                + failures.subList(0, Math.min(3, failures.size())));
        assertEquals(1000, statuses.get(200).get());
        assertTrue(!servedBy.containsKey("burst-dead"), "the dead deployment served nothing");
        assertTrue(servedBy.getOrDefault("burst-flaky", new AtomicInteger()).get() > 0,
                "the flaky deployment still served its good half");
        assertEquals("open", RoutingTest.deployment("burst-dead").getString("state"),
                "the dead deployment's circuit is open");
    }
}
