package dev.sluice.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sluice.openai.ApiException;
import dev.sluice.routing.config.RoutingFileException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The routing admin API (master key only, enforced by the auth filter for every {@code /admin} route):
 * <ul>
 *   <li>{@code GET /admin/routes}: every model group and provider with each deployment's state (healthy, open,
 *       half-open, cooling-down, capped, disabled, unusable), time-to-first-byte average, requests in flight,
 *       minute usage against its caps and recent errors;</li>
 *   <li>{@code POST /admin/routes/reload}: reads the routing files again; requests in flight keep their routes;</li>
 *   <li>{@code POST /admin/routes/reset} and {@code POST /admin/routes/deployments/{id}/reset}: close breakers,
 *       end cooldowns and put disabled deployments back into rotation.</li>
 * </ul>
 */
@Path("/admin/routes")
@Tag(name = "Admin")
@Produces(MediaType.APPLICATION_JSON)
public class RoutesResource {

    @Inject
    Routes routes;

    @GET
    @Operation(summary = "Routing table and deployment health")
    public RoutesView routes() {
        RoutingTable t = routes.current();
        long now = System.nanoTime();
        List<GroupView> groups = new ArrayList<>();
        for (Group g : t.groups().values()) {
            List<String> aliases = new ArrayList<>();
            t.aliases().forEach((alias, target) -> {
                if (target.equals(g.name())) {
                    aliases.add(alias);
                }
            });
            RouteSettings s = g.settings();
            groups.add(new GroupView(g.name(), aliases, s.strategy().configName(), s.retries(), s.maxAttempts(),
                    millis(s.requestTimeout()), g.fallbacks().isEmpty() ? t.defaultFallbacks() : g.fallbacks(),
                    g.contextWindowFallbacks(), s.breakerEnabled()
                    ? new BreakerView(s.breakerWindow(), s.breakerFailureRatio(), millis(s.breakerOpenFor()),
                    s.breakerProbes()) : null,
                    g.deployments().stream().map(d -> view(d, now)).toList()));
        }
        List<DeploymentView> providers = t.providers().values().stream().map(d -> view(d, now)).toList();
        return new RoutesView(t.version(), t.loadedAt(), t.sources(), t.warnings(), groups, providers);
    }

    @POST
    @Path("/reload")
    @Blocking
    @Operation(summary = "Reload the routing files", description = "Requests in flight keep the routes they started "
            + "with. A file that cannot be used leaves the routing in force unchanged and is answered with 422.")
    public ReloadView reload() {
        if (routes.files().isEmpty()) {
            throw new ApiException(409, ApiException.INVALID_REQUEST, "no_routing_file", null,
                    "No routing file is configured (sluice.routing.config-file); there is nothing to reload");
        }
        try {
            Routes.Reload r = routes.reload();
            return new ReloadView(r.version(), r.sources(), r.warnings());
        } catch (RoutingFileException e) {
            throw new ApiException(422, ApiException.INVALID_REQUEST, "invalid_routing_config", null,
                    "The routing files cannot be used; the routing in force is unchanged: "
                            + String.join("; ", e.problems()));
        }
    }

    @POST
    @Path("/reset")
    @Operation(summary = "Reset every deployment's state")
    public Map<String, Integer> resetAll() {
        return Map.of("reset", routes.reset(null));
    }

    @POST
    @Path("/deployments/{id}/reset")
    @Operation(summary = "Reset one deployment's state")
    public Map<String, Integer> reset(@PathParam("id") String id) {
        int n = routes.reset(id);
        if (n == 0) {
            throw ApiException.notFound("No deployment has the id '" + id + "'", "deployment_not_found");
        }
        return Map.of("reset", n);
    }

    static DeploymentView view(Deployment d, long now) {
        DeploymentState s = d.state();
        DeploymentState.Health h = s.health(now, d);
        long at = s.availableAt(now, d, 0);
        Double back = at == Long.MAX_VALUE || at <= now ? null : Math.ceil((at - now) / 1e8) / 10.0;
        double ewma = s.ttfbEwmaMillis();
        return new DeploymentView(d.id(), d.providerName().isEmpty() ? null : d.providerName(), d.model(), h.label,
                back, d.unusable(), s.disabledReason(), s.breaker().name().toLowerCase(java.util.Locale.ROOT),
                d.priority(), d.weight(), s.inFlight(), Double.isNaN(ewma) ? null : Math.round(ewma * 10) / 10.0,
                s.requestsLastMinute(now), s.tokensLastMinute(now), d.rpm() == 0 ? null : d.rpm(),
                d.tpm() == 0 ? null : d.tpm(), d.maxInFlight() == 0 ? null : d.maxInFlight(),
                new TimeoutsView(millis(d.timeouts().connect()), millis(d.timeouts().firstByte()),
                        millis(d.timeouts().total()), millis(d.timeouts().streamIdle())),
                s.recentErrors().stream().map(e -> new ErrorView(e.at(), e.kind(), e.status() == 0 ? null : e.status(),
                        e.message())).toList());
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RoutesView(long version, Instant loadedAt, List<String> sources, List<String> warnings,
                             List<GroupView> groups, List<DeploymentView> providers) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record GroupView(String name, List<String> aliases, String strategy, int retries, int maxAttempts,
                            long requestTimeoutMs, List<String> fallbacks, List<String> contextWindowFallbacks,
                            BreakerView breaker, List<DeploymentView> deployments) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BreakerView(int window, double failureRatio, long openForMs, int probes) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DeploymentView(String id, String provider, String model, String state, Double backInSeconds,
                                 String unusableReason, String disabledReason, String breaker, int priority,
                                 double weight, int inFlight, Double ttfbEwmaMs, long requestsLastMinute,
                                 long tokensLastMinute, Integer rpm, Integer tpm, Integer maxInFlight,
                                 TimeoutsView timeouts, List<ErrorView> recentErrors) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TimeoutsView(long connectMs, long firstByteMs, long totalMs, long streamIdleMs) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ErrorView(Instant at, String kind, Integer status, String message) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReloadView(long version, List<String> sources, List<String> warnings) {
    }
}
