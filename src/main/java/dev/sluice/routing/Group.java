package dev.sluice.routing;

import java.util.List;

/**
 * A model group as the router uses it: its public name, settings and deployments, and where it falls back to.
 *
 * @param name                   the public model name
 * @param settings               the settings in force for it
 * @param deployments            every deployment, usable or not, in declaration order
 * @param fallbacks              names tried in order when the group is exhausted
 * @param contextWindowFallbacks names tried when the prompt exceeds a deployment's context window
 */
record Group(String name, RouteSettings settings, List<Deployment> deployments, List<String> fallbacks,
             List<String> contextWindowFallbacks) {
}
