package dev.sluice.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The console's settings ({@code sluice.console.*}). */
@ConfigMapping(prefix = "sluice.console")
public interface ConsoleConfig {

    /** Serve the console at {@code /console}; when false every {@code /console} path answers 404. */
    @WithDefault("true")
    boolean enabled();

    /** A session unused for this long is signed out. */
    @WithDefault("30m")
    Duration idleTimeout();

    /** A session ends this long after sign-in however busy it is. */
    @WithDefault("12h")
    Duration maxAge();

    /** Sessions held at most (per replica); signing in beyond it ends the least recently used one. */
    @WithDefault("10000")
    int maxSessions();
}
