package dev.sluice.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The typed, validated view of an OpenAI embeddings request; like chat, the JSON tree is what is forwarded. */
@RegisterForReflection
@OpenAiJson
public record EmbeddingsRequest(
        @NotBlank String model,
        @NotNull JsonNode input,
        @Pattern(regexp = "float|base64", message = "must be float or base64") String encodingFormat,
        @Min(1) Integer dimensions,
        String user) {
}
