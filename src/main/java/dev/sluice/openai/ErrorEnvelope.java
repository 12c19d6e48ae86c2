package dev.sluice.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * OpenAI's error envelope: {@code {"error": {"message", "type", "param", "code"}}}; null members are kept. An error
 * about a third party's answer may add {@code status}, that party's HTTP status (e.g. a fetched page's 404); it is
 * left out everywhere else.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErrorEnvelope(Body error) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Body(String message, String type, String param, String code,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Integer status) {

        public Body(String message, String type, String param, String code) {
            this(message, type, param, code, null);
        }

        public Body withStatus(Integer newStatus) {
            return new Body(message, type, param, code, newStatus);
        }
    }
}
