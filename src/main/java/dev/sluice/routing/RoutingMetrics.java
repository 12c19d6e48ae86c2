package dev.sluice.routing;

import dev.sluice.provider.UpstreamException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import dev.sluice.routing.ModelLabels;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routing decisions as Micrometer meters (exposed on {@code /q/metrics} as Prometheus series):
 * <ul>
 *   <li>{@code sluice_routing_attempts_total{group,deployment,outcome}}: every upstream attempt and how it ended
 *       (success, rate_limited, server_error, timeout, connection, authentication, context_window, client_error);</li>
 *   <li>{@code sluice_routing_fallbacks_total{from,to,reason}}: a request moving to a fallback
 *       (reason exhausted or context_window);</li>
 *   <li>{@code sluice_routing_streams_interrupted_total{group,deployment}}: streams that broke after their first byte;</li>
 *   <li>{@code sluice_routing_deployment_state{group,deployment,state}}: 1 for the deployment's current state
 *       (healthy, half-open, open, cooling-down, capped, disabled, unusable), 0 for the others;</li>
 *   <li>{@code sluice_routing_in_flight{group,deployment}} and {@code sluice_routing_ttfb_ewma_seconds{group,deployment}}.</li>
 * </ul>
 */
@ApplicationScoped
public class RoutingMetrics {

    private final MeterRegistry registry;
    private final ModelLabels labels;
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();

    @Inject
    public RoutingMetrics(MeterRegistry registry, ModelLabels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    /** The meters of one deployment, registered while it is part of the routing table. */
    final class DeploymentMeters {
        private final Tags tags;
        private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
        private final Counter interrupted;
        private final List<Meter> gauges = new ArrayList<>();

        DeploymentMeters(Deployment d) {
            this.tags = Tags.of("group", d.group(), "deployment", d.id());
            labels.declare(d.group());
            DeploymentState s = d.state();
            for (DeploymentState.Health h : DeploymentState.Health.values()) {
                gauges.add(Gauge.builder("sluice.routing.deployment.state", s,
                                st -> st.health(System.nanoTime(), st.deployment) == h ? 1 : 0)
                        .tags(tags).tag("state", h.label)
                        .description("1 for the deployment's current routing state").register(registry));
            }
            gauges.add(Gauge.builder("sluice.routing.in.flight", s, DeploymentState::inFlight).tags(tags)
                    .description("Requests in flight on the deployment").register(registry));
            gauges.add(Gauge.builder("sluice.routing.ttfb.ewma", s, st -> Double.isNaN(st.ttfbEwmaMillis()) ? 0
                            : st.ttfbEwmaMillis() / 1000.0).tags(tags).baseUnit("seconds")
                    .description("Moving average of the deployment's time to first byte").register(registry));
            this.interrupted = Counter.builder("sluice.routing.streams.interrupted").tags(tags)
                    .description("Streams that failed after their first byte reached the client").register(registry);
        }

        void attempt(String outcome) {
            outcomes.computeIfAbsent(outcome, o -> Counter.builder("sluice.routing.attempts").tags(tags)
                    .tag("outcome", o).description("Upstream attempts by outcome").register(registry)).increment();
        }

        void interrupted() {
            interrupted.increment();
        }

        void remove() {
            gauges.forEach(registry::remove);
            outcomes.values().forEach(registry::remove);
            registry.remove(interrupted);
        }
    }

    /** Registers a deployment's meters once per state: a reload that keeps the state keeps its counters. */
    void register(Deployment d) {
        d.state().deployment = d;
        if (d.state().meters == null) {
            d.state().meters = new DeploymentMeters(d);
        }
    }

    void unregister(DeploymentState s) {
        DeploymentMeters m = s.meters;
        if (m != null) {
            m.remove();
            s.meters = null;
        }
    }

    void fallback(String fromLeg, String toLeg, String reason) {
        // a leg is a configured group or a client's own fallback model: the latter only once it has been served
        String from = labels.label(fromLeg, false);
        String to = labels.label(toLeg, false);
        fallbacks.computeIfAbsent(from + "\u0000" + to + "\u0000" + reason, k -> Counter.builder("sluice.routing.fallbacks")
                .tags("from", from, "to", to, "reason", reason)
                .description("Requests moved to a fallback").register(registry)).increment();
    }

    /** The outcome label of a failed attempt. */
    static String outcome(Throwable f) {
        if (f instanceof UpstreamException u) {
            return u.kind().name().toLowerCase(Locale.ROOT);
        }
        return "error";
    }
}
