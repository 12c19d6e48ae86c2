package dev.sluice.ops;

import jakarta.inject.Inject;
import dev.sluice.openai.ApiException;
import dev.sluice.api.JsonIngress;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * Refuses new API requests once a SIGTERM's drain has begun. Quarkus turns readiness down at SIGTERM and waits
 * {@code quarkus.shutdown.delay} (so that load balancers stop sending), then waits for in-flight requests and
 * streams up to {@code quarkus.shutdown.timeout}; but its HTTP layer still serves a request that arrives during
 * that wait (it only adds {@code Connection: close}). A request let in then could outlive the deadline and be cut
 * off half-way, so from the end of the delay every new request outside {@code /q/} gets a 503 in the OpenAI
 * envelope with {@code Retry-After}, which OpenAI clients retry — on another replica, since the connection is
 * closed. Requests already in flight are untouched.
 */
@ApplicationScoped
public class Drain {

    @Inject
    JsonIngress ingress;

    /** Nanotime from which new requests are refused; {@link Long#MAX_VALUE} while running normally. */
    private volatile long refuseFrom = Long.MAX_VALUE;

    @ConfigProperty(name = "quarkus.shutdown.delay")
    Optional<Duration> delay;

    void onShutdownStarted(@Observes ShutdownDelayInitiatedEvent event) {
        Duration wait = delay.orElse(Duration.ZERO);
        refuseFrom = System.nanoTime() + wait.toNanos();
        Log.infof("Shutting down: readiness is down; new requests are refused after %d ms, in-flight ones finish",
                wait.toMillis());
    }

    /** Whether new API requests are being refused. */
    public boolean draining() {
        long from = refuseFrom;
        return from != Long.MAX_VALUE && System.nanoTime() - from >= 0;
    }

    void install(@Observes Router router) {
        // after RequestIds (-100), so the refusal still carries the request id
        router.route().order(-98).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (draining() && !rc.request().path().startsWith("/q/")) {
            ApiException refusal = new ApiException(503, "service_unavailable", "shutting_down", null,
                    "This Sluice instance is shutting down; retry the request");
            refusal.headers().put(HttpHeaders.CONNECTION.toString(), "close");
            refusal.headers().put("Retry-After", "1");
            ingress.refuse(rc, refusal);
            return;
        }
        rc.next();
    }
}
