package dev.sluice.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** OpenAI's model list: {@code {"object": "list", "data": [...]}}. */
@RegisterForReflection
public record ModelList(String object, List<ModelObject> data) {

    public ModelList(List<ModelObject> data) {
        this("list", data);
    }
}
