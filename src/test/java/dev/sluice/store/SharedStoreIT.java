package dev.sluice.store;

import dev.sluice.testing.Http;
import dev.sluice.testing.LocalServices;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import dev.sluice.testing.VirtualKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Sluice instances sharing the local PostgreSQL (a database created for this run) and Redis (a key prefix for
 * this run): balances, rate limits and revocations hold across both, as they would across replicas.
 */
class SharedStoreIT {

    static final String PG = LocalServices.postgres();
    static final String PG_USER = LocalServices.POSTGRES_USER;
    static final String RUN = "sluice_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String BODY = "{\"model\":\"billed/m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Please summarise the following paragraph about rivers and sluices in two sentences.\"}]}";
    static final long COST = 30 + 2 * 100;

    static MockUpstream mock;
    static SluiceProcess a;
    static SluiceProcess b;

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "test" + PG_USER); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + RUN);
        }
        mock = new MockUpstream();
        Map<String, String> settings = new HashMap<>(mock.start());
        settings.put("sluice.store.database-url", PG + RUN + PG_USER);
        settings.put("sluice.store.redis-url", LocalServices.redis());
        settings.put("sluice.store.redis-prefix", RUN);
        settings.put("sluice.data-dir", Files.createTempDirectory("sluice-it-a").toString());
        a = SluiceProcess.start("shared-a", settings);
        settings.put("sluice.data-dir", Files.createTempDirectory("sluice-it-b").toString());
        b = SluiceProcess.start("shared-b", settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (mock != null) {
            mock.stop();
        }
        try (Connection c = DriverManager.getConnection(PG + "test" + PG_USER); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + RUN + " WITH (FORCE)");
        }
        LocalServices.deleteRedisKeys(RUN);
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static SluiceProcess instance(int i) {
        return i % 2 == 0 ? a : b;
    }

    static long balance(String keyId) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + RUN + PG_USER);
             PreparedStatement ps = c.prepareStatement("SELECT balance_micros FROM sluice_keys WHERE id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long[] ledger(String keyId) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + RUN + PG_USER);
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(amount_micros), 0), "
                     + "SUM(CASE WHEN kind = 'request' THEN 1 ELSE 0 END) FROM sluice_ledger WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Waits until an instance knows a key created on the other (pub/sub: normally milliseconds). */
    static void awaitKnown(SluiceProcess instance, VirtualKeys.Key key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (Http.get(instance.url("/v1/balance"), key.secret()).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "the key never reached " + instance.url(""));
            Thread.sleep(20);
        }
    }

    @Test
    void twoHundredConcurrentRequestsOverTwoInstancesOnCreditForTen() throws Exception {
        VirtualKeys.Key key = Http.createKey(a.url(""), "{\"name\":\"shared-ten\",\"credit_usd\":0.0023}");
        awaitKnown(b, key);
        MockUpstream.on("POST", "/billed/v1/chat/completions", ctx -> MockUpstream.vertx().setTimer(20,
                t -> MockUpstream.json(200, MockUpstream.completion("ok", 30, 100)).handle(ctx)));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(instance(i).url("/v1/chat/completions")))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key.secret())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get(90, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.body().contains("insufficient_quota"), r.body());
            }
        }
        assertTrue(ok >= 1 && ok <= 10, "at most 10 of 200 requests may succeed across both instances, " + ok + " did");
        long balance = balance(key.id());
        assertTrue(balance >= 0, "never negative: " + balance);
        assertEquals(2300 - ok * COST, balance);
        long[] ledger = ledger(key.id());
        assertEquals(balance, ledger[0], "balance = sum of the ledger, to the micro-dollar");
        assertEquals(200, ledger[1], "every request has its ledger line");
        assertEquals(ok, MockUpstream.received().size());
    }

    @Test
    void rpmHoldsAcrossInstancesInsteadOfDoubling() throws Exception {
        VirtualKeys.Key key = Http.createKey(a.url(""), "{\"name\":\"shared-rpm\",\"credit_usd\":1,\"rpm\":10}");
        awaitKnown(b, key);
        long start = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = Http.post(instance(i).url("/v1/chat/completions"), key.secret(), BODY);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.body().contains("rate_limit_exceeded"));
                assertTrue(r.headers().firstValue("retry-after").isPresent());
                assertEquals("10", r.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        long refilled = elapsedMs * 10 / 60_000;
        assertTrue(ok >= 10 && ok <= 10 + refilled + 1,
                "10 requests per minute across both instances (not 20): " + ok + " in " + elapsedMs + " ms");
    }

    @Test
    void tpmHoldsAcrossInstances() throws Exception {
        VirtualKeys.Key key = Http.createKey(a.url(""), "{\"name\":\"shared-tpm\",\"credit_usd\":1,\"tpm\":1000}");
        awaitKnown(b, key);
        MockUpstream.on("POST", "/billed/v1/chat/completions",
                MockUpstream.json(200, MockUpstream.completion("ok", 30, 100)));
        // each request takes about 30 prompt + 100 output tokens of the bucket's 1000 (corrected to the real 130)
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = Http.post(instance(i).url("/v1/chat/completions"), key.secret(), BODY);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.body().contains("tokens per minute"), r.body());
            }
        }
        assertTrue(ok >= 6 && ok <= 8, "about 1000 / 130 requests across both instances (not twice that): " + ok);
    }

    @Test
    void aRevocationOnOneInstanceReachesTheOtherAtOnce() throws Exception {
        VirtualKeys.Key key = Http.createKey(a.url(""), "{\"name\":\"shared-revoke\",\"credit_usd\":1}");
        awaitKnown(b, key);
        assertEquals(200, Http.post(b.url("/v1/chat/completions"), key.secret(), BODY).statusCode());
        assertEquals(200, Http.delete(a.url("/admin/keys/" + key.id()), MockUpstream.MASTER_KEY).statusCode());
        long revoked = System.nanoTime();
        HttpResponse<String> r;
        do {
            r = Http.post(b.url("/v1/chat/completions"), key.secret(), BODY);
        } while (r.statusCode() == 200 && System.nanoTime() - revoked < Duration.ofSeconds(10).toNanos());
        long tookMs = (System.nanoTime() - revoked) / 1_000_000;
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("key_revoked"));
        assertTrue(tookMs < 5000, "within the documented bound (5 s), it took " + tookMs + " ms");
    }

    @Test
    void creditsAddedOnOneInstanceAreSpendableOnTheOther() throws Exception {
        VirtualKeys.Key key = Http.createKey(a.url(""), "{\"name\":\"shared-topup\"}");
        awaitKnown(b, key);
        HttpResponse<String> refused = Http.post(b.url("/v1/chat/completions"), key.secret(), BODY);
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("insufficient_quota"));
        assertEquals(201, Http.post(a.url("/admin/keys/" + key.id() + "/credits"), MockUpstream.MASTER_KEY,
                "{\"amount_usd\":1}").statusCode());
        HttpResponse<String> r = Http.post(b.url("/v1/chat/completions"), key.secret(), BODY);
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> balance = Http.get(b.url("/v1/balance"), key.secret());
        assertTrue(balance.body().contains("\"balance_usd\":0.99"), balance.body());
    }
}
