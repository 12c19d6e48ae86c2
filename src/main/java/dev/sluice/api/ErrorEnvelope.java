package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** OpenAI's error envelope: {@code {"error": {"message", "type", "param", "code"}}}; null members are kept. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErrorEnvelope(Body error) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Body(String message, String type, String param, String code) {
    }
}
