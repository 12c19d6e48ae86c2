package dev.sluice.ops.tracing;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the one tracing setting users give ({@code sluice.tracing.otlp-endpoint}, env
 * {@code SLUICE_TRACING_OTLP_ENDPOINT}) into the Quarkus OpenTelemetry settings it implies: with it, the SDK is
 * switched on and exports there; without it, the SDK is disabled, so that Quarkus installs no tracer at all.
 * {@code quarkus.otel.enabled} is fixed at build time, so the switch has to be the SDK's, which is read at start.
 *
 * <p>Its ordinal (275) puts it above application.properties and below environment variables and system properties:
 * an operator may still set {@code QUARKUS_OTEL_SDK_DISABLED} or any other {@code quarkus.otel.*} setting directly.
 */
public class TracingConfigSource implements ConfigSourceFactory {

    static final String ENDPOINT = "sluice.tracing.otlp-endpoint";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String OTLP_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue endpoint = context.getValue(ENDPOINT);
        String value = endpoint == null || endpoint.getValue() == null ? "" : endpoint.getValue().strip();
        return List.of(new MapBackedConfigSource("sluice-tracing", derive(value), 275) {
        });
    }

    static Map<String, String> derive(String endpoint) {
        Map<String, String> out = new HashMap<>();
        boolean on = !endpoint.isEmpty();
        out.put(SDK_DISABLED, Boolean.toString(!on));
        if (on) {
            out.put(OTLP_ENDPOINT, endpoint);
        }
        return out;
    }
}
