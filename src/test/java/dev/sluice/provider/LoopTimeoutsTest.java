package dev.sluice.provider;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A time limit kept by the request's event loop: the item passes, a silent call fails and is cancelled. */
class LoopTimeoutsTest {

    final Vertx vertx = Vertx.vertx();
    final Context loop = vertx.getOrCreateContext();

    @AfterEach
    void close() {
        vertx.close();
    }

    /** Subscribes on the event loop, as the request path does, and waits for the outcome. */
    private <T> CompletableFuture<Object> run(Uni<T> bounded) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        loop.runOnContext(v -> bounded.subscribe().with(outcome::complete, outcome::complete));
        return outcome;
    }

    @Test
    void theItemPassesAndEndsOnTheLoop() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        loop.runOnContext(v -> LoopTimeouts.on(loop, Uni.createFrom().item("answer"), Duration.ofSeconds(60),
                        IllegalStateException::new)
                .subscribe().with(item -> outcome.complete(item + " on loop " + (Vertx.currentContext() == loop)),
                        outcome::complete));
        assertEquals("answer on loop true", outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aCallWithoutAnAnswerFailsWithTheTimeoutAndIsCancelled() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        IllegalStateException timeout = new IllegalStateException("no answer");
        Uni<String> silent = Uni.createFrom().<String>nothing().onCancellation().invoke(() -> cancelled.set(true));
        Object outcome = run(LoopTimeouts.on(loop, silent, Duration.ofMillis(1), () -> timeout)).get(10, TimeUnit.SECONDS);
        assertSame(timeout, outcome);
        assertTrue(cancelled.get(), "the bounded call is cancelled on timeout");
    }

    @Test
    void aFailureKeepsItsOwnError() throws Exception {
        IllegalArgumentException refused = new IllegalArgumentException("refused");
        Object outcome = run(LoopTimeouts.on(loop, Uni.createFrom().failure(refused), Duration.ofSeconds(60),
                IllegalStateException::new)).get(10, TimeUnit.SECONDS);
        assertSame(refused, outcome);
    }

    @Test
    void offAnEventLoopMutinysLimitApplies() {
        IllegalStateException timeout = new IllegalStateException("no answer");
        Object outcome = LoopTimeouts.on(null, Uni.createFrom().<String>nothing(), Duration.ofMillis(1), () -> timeout)
                .onItem().<Object>transform(item -> item)
                .onFailure().recoverWithItem(f -> f)
                .await().atMost(Duration.ofSeconds(10));
        assertSame(timeout, outcome);
    }

    @Test
    void aStreamThatKeepsSendingPassesWhole() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        loop.runOnContext(v -> LoopTimeouts.idle(Multi.createFrom().items("a", "b", "c"), Duration.ofSeconds(60),
                        IllegalStateException::new)
                .collect().asList()
                .subscribe().with(outcome::complete, outcome::complete));
        assertEquals(List.of("a", "b", "c"), outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aSilentStreamFailsWithTheTimeoutAndIsCancelled() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        IllegalStateException timeout = new IllegalStateException("silent");
        Multi<String> silent = Multi.createFrom().<String>nothing().onCancellation().invoke(() -> cancelled.set(true));
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        loop.runOnContext(v -> LoopTimeouts.idle(silent, Duration.ofMillis(1), () -> timeout)
                .collect().asList()
                .subscribe().with(outcome::complete, outcome::complete));
        assertSame(timeout, outcome.get(10, TimeUnit.SECONDS));
        assertTrue(cancelled.get(), "the silent stream is cancelled on timeout");
    }
}
