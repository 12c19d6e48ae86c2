package dev.sluice.ops.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The OpenTelemetry SDK's in-memory exporter as a span exporter bean, in the applications of the test profiles that
 * ask for it ({@code test.tracing.in-memory=true}, see {@link TracingOnProfile}): a test reads the spans it made.
 * Quarkus exports to such a bean <em>instead of</em> the OTLP exporter, so profiles that test the export itself
 * leave it out.
 */
@ApplicationScoped
public class InMemorySpans {

    static final String PROPERTY = "test.tracing.in-memory";

    @Produces
    @Singleton
    @IfBuildProperty(name = PROPERTY, stringValue = "true")
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
