package dev.sluice.logs;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The request log: off unless turned on here (for every key) or per key ({@code log_requests}), and kept only as
 * long and as large as configured.
 */
@ConfigMapping(prefix = "sluice.request-log")
public interface RequestLogConfig {

    /** Log every request, unless its key says otherwise. */
    @WithDefault("false")
    boolean enabled();

    /** Keep the request and response bodies of logged requests (masked and capped), unless their key says otherwise. */
    @WithDefault("false")
    boolean bodies();

    /** The most of each body kept; the rest is cut off. */
    @WithDefault("64K")
    MemorySize maxBodyBytes();

    /** Rows waiting to be written; beyond it new rows are dropped and counted, never waited for. */
    @WithDefault("10000")
    int queueSize();

    /** Most rows written in one transaction. */
    @WithDefault("500")
    int maxBatch();

    /** Rows older than this are deleted. */
    @WithDefault("30d")
    Duration maxAge();

    /** The rows together (bodies included) are kept under about this size; the oldest go first. */
    @WithDefault("1G")
    MemorySize maxBytes();

    /** At most this many rows are kept, if set; the oldest go first. */
    OptionalLong maxRows();

    /** How often the age and size limits are enforced. */
    @WithDefault("5m")
    Duration retentionInterval();
}
