package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.sluice.catalog.ModelCard;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * OpenAI's model object, with what the model catalog knows of the model (context length, pricing,
 * capabilities: OpenRouter's fields) when it knows it.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelObject(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                          @JsonUnwrapped ModelCard card) {

    public ModelObject(String id, long created, String ownedBy) {
        this(id, "model", created, ownedBy, null);
    }

    public ModelObject(String id, long created, String ownedBy, ModelCard card) {
        this(id, "model", created, ownedBy, card);
    }
}
