package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** OpenAI's model object. */
@RegisterForReflection
public record ModelObject(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {

    public ModelObject(String id, long created, String ownedBy) {
        this(id, "model", created, ownedBy);
    }
}
