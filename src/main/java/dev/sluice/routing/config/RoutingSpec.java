package dev.sluice.routing.config;

import java.util.List;
import java.util.Map;

/**
 * Everything the routing files declare, merged: file-wide settings, model groups, aliases of groups, and the
 * warnings about what was ignored. Pure data; the router turns it into live deployments.
 *
 * @param settings         one file's settings over {@code sluice.routing.*}, for the groups of that file (folded
 *                         into each group when files are merged)
 * @param defaultFallbacks one file's fallbacks of its groups that declare none (folded likewise)
 * @param groups           by public name, in declaration order
 * @param aliases          other public names of groups (LiteLLM's model_group_alias)
 * @param hiddenAliases    aliases left out of {@code /v1/models}
 * @param warnings         settings that were not applied, one line each
 * @param sources          the files read
 */
public record RoutingSpec(SettingsOverrides settings, List<String> defaultFallbacks, Map<String, GroupSpec> groups,
                          Map<String, String> aliases, List<String> hiddenAliases, List<String> warnings,
                          List<String> sources) {

    public static final RoutingSpec EMPTY = new RoutingSpec(SettingsOverrides.NONE, List.of(), Map.of(), Map.of(),
            List.of(), List.of(), List.of());
}
