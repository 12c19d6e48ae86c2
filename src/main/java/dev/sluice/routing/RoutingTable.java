package dev.sluice.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One immutable snapshot of the routing configuration: the model groups with their deployments, the aliases of
 * groups, and one deployment per configured provider for plain model names. A request keeps the snapshot it
 * started with, so a reload never changes a route under a request in flight.
 *
 * @param version          increases with every successful load
 * @param loadedAt         when it was loaded
 * @param sources          the routing files it was read from
 * @param fingerprint      a hash of their contents
 * @param warnings         settings that were not applied
 * @param direct           settings for plain model names
 * @param groups           by public name, in declaration order
 * @param aliases          other names of groups
 * @param hiddenAliases    aliases left out of /v1/models
 * @param providers        one deployment per enabled provider, for plain model names
 * @param defaultFallbacks fallbacks of groups that declare none
 */
record RoutingTable(long version, Instant loadedAt, List<String> sources, String fingerprint, List<String> warnings,
                    RouteSettings direct, Map<String, Group> groups, Map<String, String> aliases,
                    Set<String> hiddenAliases, Map<String, Deployment> providers, List<String> defaultFallbacks) {

    /** The group a public name (or an alias of one) designates. */
    Optional<Group> group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            String target = aliases.get(name);
            g = target == null ? null : groups.get(target);
        }
        return Optional.ofNullable(g);
    }
}
