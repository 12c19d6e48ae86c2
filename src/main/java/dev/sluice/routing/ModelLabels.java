package dev.sluice.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.sluice.config.SluiceConfig;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values a {@code model} label of a Prometheus series may take. A client chooses the model it asks for, and
 * {@code provider/<anything>} resolves to a provider: were every such name a label value, a caller could create
 * series without end (20 invented names made 120 series). So a model gets its own label value only once an
 * upstream has served it (or it is a routing group of the configuration), and at most
 * {@code sluice.metrics.max-models} of them; everything else (refused, failed, unknown, over the cap) is counted
 * under {@value #OTHER}.
 */
@ApplicationScoped
public class ModelLabels {

    public static final String OTHER = "other";

    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final int max;

    @Inject
    public ModelLabels(SluiceConfig config) {
        this(config.metrics().maxModels());
    }

    public ModelLabels(int max) {
        this.max = max;
    }

    /** The label for {@code model}; {@code served} when an upstream has just answered it successfully. */
    public String label(String model, boolean served) {
        if (model == null) {
            return OTHER;
        }
        if (known.contains(model)) {
            return model;
        }
        return served && admit(model) ? model : OTHER;
    }

    /** A name the configuration declares (a routing group): always its own label, within the cap. */
    public void declare(String name) {
        admit(name);
    }

    private boolean admit(String model) {
        // racing threads may pass the size check together and go a few over the cap: harmless
        return known.size() < max && (known.add(model) || known.contains(model));
    }
}
