package dev.sluice.routing;

import dev.sluice.provider.UpstreamException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decisions of one request, without a server: a first step decided before the interceptors ran is decided
 * again when its deployment stopped being available meanwhile, and a timed-out deployment is retried only while
 * enough of the deadline is left.
 */
class RequestRoutingTest {

    static final Duration SECOND = Duration.ofSeconds(1);

    static Deployment deployment(String id, int priority, int maxInFlight) {
        return new Deployment(id, "g", null, "m", 1, priority, 0, 0, maxInFlight,
                new Timeouts(SECOND, Duration.ofSeconds(2), Duration.ofSeconds(2), SECOND), null, null,
                new DeploymentState("g", id, "", PickerTest.SETTINGS, false));
    }

    static RequestRouting routing(long deadline, Deployment... deployments) {
        Group group = new Group("g", PickerTest.SETTINGS, List.of(deployments), List.of(), List.of());
        RoutingTable table = new RoutingTable(1, Instant.now(), List.of(), "", List.of(), PickerTest.SETTINGS,
                Map.of("g", group), Map.of(), Set.of(), Map.of(), List.of());
        return new RequestRouting(table, "g", List.of(Leg.of("g", group)), null, deadline, false, () -> 0,
                d -> null, name -> null, new RoutingMetrics(new SimpleMeterRegistry(), new dev.sluice.routing.ModelLabels(500)),
                RequestRouting.Admission.ALL);
    }

    static Deployment target(RequestRouting.Step step) {
        return assertInstanceOf(RequestRouting.Attempt.class, step).deployment();
    }

    @Test
    void aFirstStepWhoseDeploymentStartedRestingIsDecidedAgain() {
        Deployment a = deployment("a", 0, 0);
        Deployment b = deployment("b", 1, 0);
        long now = System.nanoTime();
        RequestRouting routing = routing(now + Duration.ofMinutes(1).toNanos(), a, b);
        assertEquals(a, target(routing.first(now)));

        // while the interceptors ran, another request got a 429 from a
        a.state().coolDown(now + Duration.ofSeconds(5).toNanos());

        assertEquals(b, target(routing.next(System.nanoTime())));
    }

    @Test
    void aFirstStepWhoseDeploymentFilledUpIsDecidedAgain() {
        Deployment a = deployment("a", 0, 1);
        Deployment b = deployment("b", 1, 0);
        long now = System.nanoTime();
        RequestRouting routing = routing(now + Duration.ofMinutes(1).toNanos(), a, b);
        assertEquals(a, target(routing.first(now)));

        DeploymentState.Lease other = a.state().acquire(now, a, 0);
        assertNotNull(other, "another request took a's only slot");

        assertEquals(b, target(routing.next(System.nanoTime())));
    }

    @Test
    void aSlotRefusedAtTheStartSendsTheRequestElsewhere() {
        Deployment a = deployment("a", 0, 1);
        Deployment b = deployment("b", 1, 0);
        long now = System.nanoTime();
        RequestRouting routing = routing(now + Duration.ofMinutes(1).toNanos(), a, b);
        RequestRouting.Attempt first = (RequestRouting.Attempt) routing.next(now);
        assertEquals(a, first.deployment());

        assertEquals(b, target(routing.refused(first, now)));
    }

    @Test
    void aTimedOutDeploymentIsRetriedAfterABackoffWhileHalfItsTimeoutIsLeft() {
        Deployment solo = deployment("solo", 0, 0);
        long now = System.nanoTime();
        RequestRouting routing = routing(now + Duration.ofSeconds(10).toNanos(), solo);
        RequestRouting.Attempt first = (RequestRouting.Attempt) routing.next(now);
        routing.started();

        RequestRouting.Step retry = routing.failed(first, UpstreamException.timeout("openai", "test"), now);

        RequestRouting.Attempt again = assertInstanceOf(RequestRouting.Attempt.class, retry);
        assertEquals(solo, again.deployment());
        assertTrue(!again.pause().isZero(), "after a backoff");
    }

    @Test
    void aTimedOutDeploymentIsNotRetriedWithLessThanHalfItsTimeoutLeft() {
        Deployment solo = deployment("solo", 0, 0);
        long now = System.nanoTime();
        // 0.9s left: less than half of its 2s total timeout
        RequestRouting routing = routing(now + Duration.ofMillis(900).toNanos(), solo);
        RequestRouting.Attempt first = (RequestRouting.Attempt) routing.next(now);
        routing.started();

        RequestRouting.Step next = routing.failed(first, UpstreamException.timeout("openai", "test"), now);

        RequestRouting.Fail fail = assertInstanceOf(RequestRouting.Fail.class, next);
        assertEquals(UpstreamException.Kind.TIMEOUT, assertInstanceOf(UpstreamException.class, fail.error()).kind());
    }
}
