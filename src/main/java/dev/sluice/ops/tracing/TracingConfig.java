package dev.sluice.ops.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Settings of OpenTelemetry traces ({@code sluice.tracing.*}). Tracing is off unless an OTLP endpoint is given;
 * {@link TracingConfigSource} turns that one setting into the Quarkus OpenTelemetry settings it implies.
 */
@ConfigMapping(prefix = "sluice.tracing")
public interface TracingConfig {

    /**
     * The OTLP collector traces are exported to (gRPC, e.g. {@code http://otel-collector:4317}); when absent the
     * OpenTelemetry SDK stays disabled and no span is made. Env {@code SLUICE_TRACING_OTLP_ENDPOINT}.
     */
    Optional<String> otlpEndpoint();

    /**
     * Whether the request span carries the prompt and the completion ({@code gen_ai.input.messages},
     * {@code gen_ai.output.messages}). Off by default: traces often go to systems with wider access than the
     * gateway's own data.
     */
    @WithDefault("false")
    boolean captureContent();

    /** With {@link #captureContent()}, the most characters kept of each of the prompt and the completion. */
    @WithDefault("4096")
    int contentLimit();
}
