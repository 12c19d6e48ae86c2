package dev.sluice.ops.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The OpenTelemetry SDK's in-memory exporter as a span exporter bean: Quarkus exports to every such bean
 * ({@code quarkus.otel.traces.exporter=cdi}), so a test with tracing on reads the spans it made. Inert when the SDK
 * is disabled (every other test).
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
