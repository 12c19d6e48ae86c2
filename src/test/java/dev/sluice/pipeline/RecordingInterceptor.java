package dev.sluice.pipeline;

import dev.sluice.openai.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test interceptor that acts only on requests whose {@code user} starts with {@code interceptor-test}, so that
 * other tests are unaffected; it records what the pipeline shows it.
 */
@ApplicationScoped
public class RecordingInterceptor implements ExchangeInterceptor {

    record Finished(String user, Outcome.Status status, String usage, String provider) {
    }

    static final List<Finished> FINISHED = new CopyOnWriteArrayList<>();
    static final AtomicLong FINISH_COMPLETED_AT = new AtomicLong();

    /** After the gateway's own admission steps, like any feature acting on an admitted request. */
    @Override
    public Stage stage() {
        return Stage.RETRIEVAL;
    }

    private static String user(Exchange exchange) {
        return exchange.chat() == null ? "" : exchange.chat().body().path("user").asText("");
    }

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        String user = user(exchange);
        if (!user.startsWith("interceptor-test")) {
            return CONTINUE;
        }
        exchange.responseHeaders().put("x-test-seen", exchange.target().provider().name());
        if (user.endsWith("refuse")) {
            return Uni.createFrom().failure(new ApiException(429, ApiException.RATE_LIMIT, "test_refusal", null,
                    "refused by a test interceptor"));
        }
        return CONTINUE;
    }

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        String user = user(exchange);
        if (!user.startsWith("interceptor-test")) {
            return CONTINUE;
        }
        FINISHED.add(new Finished(user, outcome.status(), exchange.usage().map(Object::toString).orElse(null),
                exchange.target() == null ? null : exchange.target().provider().name()));
        if (user.endsWith("slow-finish")) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(400))
                    .invoke(() -> FINISH_COMPLETED_AT.set(System.nanoTime()));
        }
        return CONTINUE;
    }
}
