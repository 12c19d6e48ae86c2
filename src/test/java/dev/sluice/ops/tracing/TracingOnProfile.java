package dev.sluice.ops.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Tracing on, exporting to the in-memory exporter only ({@link InMemorySpans}): the SDK enabled directly rather
 * than through {@code sluice.tracing.otlp-endpoint}, with the OTLP exporter off, so that no test sends spans over
 * the network; spans are handed over at once instead of every five seconds.
 */
public class TracingOnProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.enabled", "false",
                "quarkus.otel.bsp.schedule.delay", "10ms");
    }
}
