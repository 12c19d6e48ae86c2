package dev.sluice.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.UpstreamException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate that commits a stream to a deployment only at its first chunk. */
class FirstChunkGateTest {

    static Vertx vertx;
    static ContextTimers timers;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        timers = new ContextTimers(vertx, context);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static ChatChunk chunk(String content) {
        return ChatChunk.ofRaw(MAPPER, Buffer.buffer("{\"choices\":[{\"delta\":{\"content\":\"" + content + "\"}}]}"));
    }

    static String content(ChatChunk c) {
        return c.json().path("choices").path(0).path("delta").path("content").asText();
    }

    record Ended(Throwable failure, boolean byClient) {
    }

    static Uni<ChatStream> prime(Multi<ChatChunk> upstream, Duration idle, List<Ended> ended) {
        return FirstChunkGate.prime(new ChatStream(upstream), timers, idle,
                () -> UpstreamException.timeout("p", "idle"), () -> UpstreamException.badResponse("p", "empty"),
                (f, byClient) -> ended.add(new Ended(f, byClient)));
    }

    @Test
    void theFirstChunkIsReplayedAheadOfTheRestWithTheClientsDemand() {
        UnicastProcessor<ChatChunk> upstream = UnicastProcessor.create();
        List<Ended> ended = new CopyOnWriteArrayList<>();
        UniAssertSubscriber<ChatStream> primed = prime(upstream, Duration.ofSeconds(5), ended)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        primed.assertNotTerminated();

        upstream.onNext(chunk("a"));
        ChatStream stream = primed.awaitItem().getItem();
        upstream.onNext(chunk("b"));
        upstream.onNext(chunk("c"));

        AssertSubscriber<ChatChunk> client = stream.chunks().subscribe().withSubscriber(AssertSubscriber.create(1));
        client.awaitItems(1);
        assertEquals(List.of("a"), client.getItems().stream().map(FirstChunkGateTest::content).toList());
        client.request(5);
        upstream.onComplete();
        client.awaitCompletion();
        assertEquals(List.of("a", "b", "c"), client.getItems().stream().map(FirstChunkGateTest::content).toList());
        assertEquals(List.of(new Ended(null, false)), ended);
    }

    @Test
    void aFailureBeforeTheFirstChunkFailsThePriming() {
        List<Ended> ended = new CopyOnWriteArrayList<>();
        UniAssertSubscriber<ChatStream> primed = prime(Multi.createFrom().failure(
                UpstreamException.connection("p", "reset")), Duration.ofSeconds(5), ended)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(UpstreamException.Kind.CONNECTION,
                ((UpstreamException) primed.awaitFailure().getFailure()).kind());
        assertTrue(ended.isEmpty(), "nothing was committed");
    }

    @Test
    void aStreamThatEndsWithoutAnyChunkIsAFailedAttempt() {
        UniAssertSubscriber<ChatStream> primed = prime(Multi.createFrom().empty(), Duration.ofSeconds(5),
                new CopyOnWriteArrayList<>()).subscribe().withSubscriber(UniAssertSubscriber.create());
        Throwable f = primed.awaitFailure().getFailure();
        assertInstanceOf(UpstreamException.class, f);
        assertTrue(f.getMessage().contains("empty"));
    }

    @Test
    void givingUpBeforeTheFirstChunkCancelsTheUpstream() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        Multi<ChatChunk> never = Multi.createFrom().<ChatChunk>nothing().onCancellation().invoke(() -> cancelled.set(true));
        var subscription = prime(never, Duration.ofSeconds(5), new CopyOnWriteArrayList<>())
                .subscribe().with(s -> { });
        subscription.cancel();
        assertTrue(cancelled.get());
    }

    @Test
    void aSilentStreamIsCutAtTheIdleTimeoutAndTheUpstreamCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        UnicastProcessor<ChatChunk> upstream = UnicastProcessor.create();
        List<Ended> ended = new CopyOnWriteArrayList<>();
        UniAssertSubscriber<ChatStream> primed = prime(upstream.onCancellation().invoke(() -> cancelled.set(true)),
                Duration.ofMillis(200), ended).subscribe().withSubscriber(UniAssertSubscriber.create());
        upstream.onNext(chunk("a"));
        AssertSubscriber<ChatChunk> client = primed.awaitItem().getItem().chunks()
                .subscribe().withSubscriber(AssertSubscriber.create(10));

        Throwable f = client.awaitFailure(Duration.ofSeconds(3)).getFailure();
        assertEquals(UpstreamException.Kind.TIMEOUT, ((UpstreamException) f).kind());
        assertEquals(1, client.getItems().size());
        assertTrue(cancelled.get(), "the upstream request is reset");
        assertEquals(1, ended.size());
        assertEquals(f, ended.get(0).failure());
    }

    @Test
    void aClientThatGoesAwayCancelsTheUpstreamAndEndsTheStreamOnce() {
        AtomicBoolean cancelled = new AtomicBoolean();
        UnicastProcessor<ChatChunk> upstream = UnicastProcessor.create();
        List<Ended> ended = new CopyOnWriteArrayList<>();
        UniAssertSubscriber<ChatStream> primed = prime(upstream.onCancellation().invoke(() -> cancelled.set(true)),
                Duration.ofSeconds(5), ended).subscribe().withSubscriber(UniAssertSubscriber.create());
        upstream.onNext(chunk("a"));
        AssertSubscriber<ChatChunk> client = primed.awaitItem().getItem().chunks()
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        client.awaitItems(1);
        client.cancel();
        assertTrue(cancelled.get());
        assertEquals(List.of(new Ended(null, true)), ended);
        assertFalse(client.hasCompleted());
    }

    @Test
    void aFailureAfterTheFirstChunkReachesTheClientAfterThatChunk() {
        UnicastProcessor<ChatChunk> upstream = UnicastProcessor.create();
        UniAssertSubscriber<ChatStream> primed = prime(upstream, Duration.ofSeconds(5), new CopyOnWriteArrayList<>())
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        upstream.onNext(chunk("a"));
        ChatStream stream = primed.awaitItem().getItem();
        upstream.onError(UpstreamException.connection("p", "reset"));
        AssertSubscriber<ChatChunk> client = stream.chunks().subscribe().withSubscriber(AssertSubscriber.create(10));
        client.awaitFailure();
        assertEquals(List.of("a"), client.getItems().stream().map(FirstChunkGateTest::content).toList());
    }
}
