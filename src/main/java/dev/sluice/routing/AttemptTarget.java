package dev.sluice.routing;

import dev.sluice.provider.ResolvedModel;
/**
 * A target an attempt may be sent to, as admission sees it.
 *
 * @param name     the model name the route reached it by: the requested model, a fallback's or group's name
 * @param resolved the provider, upstream model and deployment
 */
public record AttemptTarget(String name, ResolvedModel resolved) {

    /** The canonical {@code provider/model}. */
    public String qualified() {
        return resolved.qualified();
    }
}
