package dev.sluice.fetch;

import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host lookups for fetches end with the fetch's deadline and hold no thread while they wait: a name server that
 * never answers (here, a UDP socket that reads nothing) costs a fetch its deadline, not a worker thread for the
 * resolver's own 5-second tries.
 */
class AsyncHostResolverTest {

    static Vertx vertx;
    static DatagramSocket silent;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        silent.close();
        vertx.closeAndAwait();
    }

    private static AsyncHostResolver silentServer() {
        return new AsyncHostResolver(vertx.getDelegate().nettyEventLoopGroup().next(), Duration.ofSeconds(30),
                new SingletonDnsServerAddressStreamProvider(new InetSocketAddress("127.0.0.1", silent.getLocalPort())));
    }

    @Test
    void aLookupEndsWithTheTimeItWasGiven() {
        AsyncHostResolver resolver = silentServer();
        long started = System.nanoTime();
        Throwable failure = assertThrows(Throwable.class, () -> resolver.resolve("never.answers.example",
                Duration.ofMillis(300)).await().atMost(Duration.ofSeconds(10)));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertInstanceOf(FetchException.class, failure);
        assertTrue(tookMs < 5_000, "the lookup outlived its deadline: " + tookMs + " ms");
        resolver.close();
    }

    @Test
    void manyStalledLookupsHoldNoThreads() throws Exception {
        // 200 lookups at once, each for 500 ms, answered by nobody: with a lookup per worker thread they would
        // queue behind the pool for many seconds; here they all end together
        AsyncHostResolver resolver = silentServer();
        List<CompletableFuture<Throwable>> all = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            CompletableFuture<Throwable> done = new CompletableFuture<>();
            resolver.resolve("host-" + i + ".never.answers.example", Duration.ofMillis(500)).subscribe()
                    .with(ok -> done.complete(null), done::complete);
            all.add(done);
        }
        for (CompletableFuture<Throwable> f : all) {
            assertInstanceOf(FetchException.class, f.get(10, TimeUnit.SECONDS));
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 5_000, "200 stalled lookups took " + tookMs + " ms");
        resolver.close();
    }

    @Test
    void theHostsFileStillAnswers() {
        AsyncHostResolver resolver = new AsyncHostResolver(vertx.getDelegate().nettyEventLoopGroup().next(),
                Duration.ofSeconds(2));
        List<InetAddress> addresses = resolver.resolve("localhost", Duration.ofSeconds(2))
                .await().atMost(Duration.ofSeconds(5));
        assertTrue(addresses.stream().anyMatch(InetAddress::isLoopbackAddress), addresses.toString());
        resolver.close();
    }

    @Test
    void aFetchWhoseNameServerIsSilentEndsAtItsDeadline() {
        PageFetcher fetcher = new PageFetcher(vertx, new FetchSettings(Duration.ofSeconds(1), Duration.ofMillis(400),
                Duration.ofSeconds(5), 100_000, 16_384, 3, "test", List.of(), List.of(), List.of(), List.of()),
                silentServer());
        long started = System.nanoTime();
        Throwable failure = assertThrows(Throwable.class, () -> fetcher.fetch("http://stalled.example/page", null)
                .await().atMost(Duration.ofSeconds(10)));
        assertInstanceOf(FetchException.class, failure);
        assertEquals(true, (System.nanoTime() - started) / 1_000_000 < 5_000);
    }
}
