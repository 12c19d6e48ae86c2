package dev.sluice.extract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /v1/extract}: one of {@code url}, {@code urls} or {@code html} (with an optional
 * {@code url} as its base), and the rendering options. Unknown fields are refused, so that a misspelt option
 * is not silently ignored.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExtractRequest(
        String url,
        @Size(min = 1, message = "must not be empty") List<String> urls,
        String html,
        @Pattern(regexp = "markdown|text|html", message = "must be markdown, text or html") String format,
        Boolean includeLinks,
        Boolean includeImages,
        @Min(1) Integer maxChars,
        String selector,
        List<String> excludeSelectors,
        @Min(1) @Max(600_000) Integer timeoutMs,
        Boolean noCache) {
}
