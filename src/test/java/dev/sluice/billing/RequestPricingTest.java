package dev.sluice.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatBody;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.tokens.PromptEstimate;
import dev.sluice.tokens.TokenCounter;
import dev.sluice.tokens.TokenEstimator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counting a large prompt's tokens (a coding agent's 75 KB system prompt and tools) is CPU work that would hold
 * the event loop and every request on it: it is done on a worker thread, and the request then continues on its
 * own context. A small prompt is counted in place, where a thread hop would cost more than the count.
 */
class RequestPricingTest {

    final Vertx vertx = Vertx.vertx();
    final ExecutorService worker = Executors.newSingleThreadExecutor();
    /** Whether each prompt estimate ran on an event-loop thread. */
    final List<Boolean> countedOnEventLoop = new CopyOnWriteArrayList<>();
    final TokenEstimator estimator = new TokenEstimator(new TokenCounter(), 1500) {
        @Override
        public PromptEstimate estimate(Exchange exchange, ResolvedModel target) {
            countedOnEventLoop.add(Context.isOnEventLoopThread());
            return super.estimate(exchange, target);
        }
    };
    final RequestPricing pricing = new RequestPricing(null, estimator, config(), 0, worker);

    @AfterEach
    void stop() throws Exception {
        worker.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLargePromptIsCountedOnAWorkerAndTheRequestContinuesOnItsContext() throws Exception {
        String text = "Read the repository and fix the failing test, then explain the change. ".repeat(400);
        assertTrue(text.length() > RequestPricing.TOKENIZE_INLINE_BYTES);
        Exchange exchange = exchange(text);
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Meter> prepared = new CompletableFuture<>();
        CompletableFuture<Boolean> resumedOnContext = new CompletableFuture<>();
        context.runOnContext(v -> {
            Meter m = Meter.of(null);
            pricing.prepare(exchange, m).subscribe().with(done -> {
                resumedOnContext.complete(Vertx.currentContext() == context && Context.isOnEventLoopThread());
                prepared.complete(m);
            }, prepared::completeExceptionally);
        });
        Meter m = prepared.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(false), countedOnEventLoop, "the prompt was counted off the event loop, once");
        assertTrue(resumedOnContext.get(), "metering continued on the request's own context");
        assertTrue(m.promptEstimate > 400 * 10, "estimate " + m.promptEstimate);
        // an attempt later finds the estimate made: no second count, on the event loop or elsewhere
        assertEquals(m.promptEstimate, m.costs.prompt(exchange.target()));
        assertEquals(1, countedOnEventLoop.size());
    }

    @Test
    void aSmallPromptIsCountedInPlace() throws Exception {
        Exchange exchange = exchange("Say hello.");
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Meter> prepared = new CompletableFuture<>();
        context.runOnContext(v -> {
            Meter m = Meter.of(null);
            pricing.prepare(exchange, m).subscribe().with(done -> prepared.complete(m),
                    prepared::completeExceptionally);
        });
        Meter m = prepared.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(true), countedOnEventLoop);
        assertTrue(m.promptEstimate > 0);
    }

    static Exchange exchange(String prompt) throws Exception {
        ObjectNode tree = TargetCostsTest.JSON.createObjectNode();
        tree.put("model", "gemini/gemini-test");
        tree.putArray("messages").addObject().put("role", "user").put("content", prompt);
        byte[] raw = TargetCostsTest.JSON.writeValueAsBytes(tree);
        ObjectNode parsed = (ObjectNode) TargetCostsTest.JSON.readTree(new String(raw, StandardCharsets.UTF_8));
        Exchange exchange = Exchange.chat(System.nanoTime(), "req", null, new ChatBody(raw, parsed, null, t -> null));
        exchange.target(TargetCostsTest.GEMINI);
        return exchange;
    }

    static BillingConfig config() {
        return (BillingConfig) Proxy.newProxyInstance(BillingConfig.class.getClassLoader(),
                new Class<?>[] {BillingConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "reserve" -> TargetCostsTest.DEFAULTS;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
