package dev.sluice.routing.config;

import java.time.Duration;

/**
 * Timeouts set at one level of the routing configuration (file, group or deployment); a null keeps the level
 * above's value.
 *
 * @param connect    opening the connection
 * @param firstByte  until a stream's first chunk
 * @param total      a whole non-streaming call
 * @param streamIdle longest silence between two chunks of a stream
 */
public record TimeoutOverrides(Duration connect, Duration firstByte, Duration total, Duration streamIdle) {

    public static final TimeoutOverrides NONE = new TimeoutOverrides(null, null, null, null);

    /** These values where set, the other's elsewhere. */
    public TimeoutOverrides over(TimeoutOverrides base) {
        return new TimeoutOverrides(connect != null ? connect : base.connect,
                firstByte != null ? firstByte : base.firstByte,
                total != null ? total : base.total,
                streamIdle != null ? streamIdle : base.streamIdle);
    }
}
