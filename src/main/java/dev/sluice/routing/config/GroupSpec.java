package dev.sluice.routing.config;

import java.util.List;

/**
 * A model group as configured: a public model name served by a list of deployments.
 *
 * @param name                   the public model name clients send
 * @param settings               its own routing settings over the file's
 * @param fallbacks              groups or model names tried in order once this group is exhausted
 * @param contextWindowFallbacks tried instead when a deployment says the prompt exceeds its context window
 * @param deployments            in declaration order
 */
public record GroupSpec(String name, SettingsOverrides settings, List<String> fallbacks,
                        List<String> contextWindowFallbacks, List<DeploymentSpec> deployments) {
}
