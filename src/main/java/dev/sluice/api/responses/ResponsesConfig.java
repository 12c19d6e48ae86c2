package dev.sluice.api.responses;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The Responses API's stored responses ({@code store: true}). */
@ConfigMapping(prefix = "sluice.responses")
public interface ResponsesConfig {

    /** How long a stored response (and its input) is kept; after that it is gone for every purpose. */
    @WithDefault("30d")
    Duration retention();

    /** How often expired responses are deleted from the database (they are never read once expired). */
    @WithDefault("1h")
    Duration purgeInterval();
}
