package dev.sluice.ops.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Tracing on, exporting to the in-memory exporter ({@link InMemorySpans}), which takes the OTLP exporter's place:
 * the SDK enabled directly rather than through {@code sluice.tracing.otlp-endpoint} (TracingExportTest covers that
 * path), so that no span goes over the network; spans are handed over at once instead of every five seconds.
 */
public class TracingOnProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                InMemorySpans.PROPERTY, "true",
                "quarkus.otel.bsp.schedule.delay", "10ms");
    }
}
