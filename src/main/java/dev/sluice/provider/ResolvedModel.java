package dev.sluice.provider;

import dev.sluice.provider.Provider;

/**
 * Where a request goes (or went).
 *
 * @param requested  the model name the client sent
 * @param provider   the provider that serves it
 * @param model      the model name that provider knows
 * @param deployment a stable id of the deployment chosen (the provider's name when there is no model group);
 *                   prices and routing state are kept per deployment
 */
public record ResolvedModel(String requested, Provider provider, String model, String deployment) {

    public ResolvedModel(String requested, Provider provider, String model) {
        this(requested, provider, model, provider.name());
    }

    /** The canonical {@code provider/model} form. */
    public String qualified() {
        return provider.name() + "/" + model;
    }
}
