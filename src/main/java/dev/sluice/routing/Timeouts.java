package dev.sluice.routing;

import dev.sluice.routing.config.TimeoutOverrides;

import java.time.Duration;

/**
 * The four timeouts of one deployment.
 *
 * @param connect    opening a connection (or obtaining one from the pool); a connection error when it fires
 * @param firstByte  a stream's first chunk (connection, headers and first event); streams only
 * @param total      a whole non-streaming call, connection, headers and body
 * @param streamIdle longest silence between two chunks of a stream
 */
public record Timeouts(Duration connect, Duration firstByte, Duration total, Duration streamIdle) {

    public Timeouts apply(TimeoutOverrides o) {
        return new Timeouts(o.connect() != null ? o.connect() : connect,
                o.firstByte() != null ? o.firstByte() : firstByte,
                o.total() != null ? o.total() : total,
                o.streamIdle() != null ? o.streamIdle() : streamIdle);
    }

    public Timeouts withTotal(Duration t) {
        return new Timeouts(connect, firstByte, t, streamIdle);
    }
}
