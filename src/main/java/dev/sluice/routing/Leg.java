package dev.sluice.routing;

import java.util.List;

/**
 * One stage of a request's route: a model group, or a plain model name served by one provider. A request tries
 * its first leg, then each fallback leg in turn.
 *
 * @param name        the name it was reached by (group or model name)
 * @param group       the group, or null for a plain model name
 * @param direct      the provider's deployment for a plain model name, else null
 * @param directModel the upstream model for a plain model name, else null
 */
record Leg(String name, Group group, Deployment direct, String directModel) {

    static Leg of(String name, Group group) {
        return new Leg(name, group, null, null);
    }

    static Leg direct(String name, Deployment provider, String model) {
        return new Leg(name, null, provider, model);
    }

    boolean isDirect() {
        return group == null;
    }

    List<Deployment> deployments() {
        return group != null ? group.deployments() : List.of(direct);
    }

    RouteSettings settings(RoutingTable table) {
        return group != null ? group.settings() : table.direct();
    }

    /** The model name the deployment's upstream knows. */
    String model(Deployment d) {
        return group != null ? d.model() : directModel;
    }

    /** Identity for removing duplicate legs. */
    String key() {
        return group != null ? "group:" + group.name() : "direct:" + direct.id() + "/" + directModel;
    }

    /** Label for metrics and messages. */
    String label() {
        return group != null ? group.name() : direct.id() + "/" + directModel;
    }
}
