package dev.sluice.ops;

import dev.sluice.store.Database;
import dev.sluice.store.SharedState;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.time.Duration;

/**
 * Readiness: the store answers — the database (embedded or PostgreSQL) hands out a valid connection, and Redis
 * answers a PING when it is configured. A replica that cannot record usage must not receive traffic.
 */
@Readiness
@ApplicationScoped
public class StoreCheck implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Inject
    Database database;
    @Inject
    SharedState shared;

    @Override
    public Uni<HealthCheckResponse> call() {
        Uni<Boolean> db = Uni.createFrom().item(() -> {
            try (Connection c = database.dataSource().getConnection()) {
                return c.isValid((int) TIMEOUT.toSeconds());
            } catch (Exception e) {
                return false;
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        Uni<Boolean> redis = shared.ping().map(v -> true).onFailure().recoverWithItem(false);
        return Uni.combine().all().unis(db, redis).asTuple()
                .ifNoItem().after(TIMEOUT).recoverWithItem(() -> io.smallrye.mutiny.tuples.Tuple2.of(false, false))
                .map(t -> HealthCheckResponse.named("store")
                        .status(t.getItem1() && t.getItem2())
                        .withData("database", database.dialect().name().toLowerCase())
                        .withData("database_up", t.getItem1())
                        .withData("redis", shared.shared() ? (t.getItem2() ? "up" : "down") : "not used")
                        .build());
    }
}
