package dev.sluice.extract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sluice.openai.ErrorEnvelope;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One extracted page as {@code /v1/extract} returns it ({@code "object": "extract"}). In a batch, a URL that
 * failed carries {@code error} instead of content. {@code links} is present only when links were asked for.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExtractResponse(
        String object,
        String url,
        @JsonProperty("final_url") String finalUrl,
        Integer status,
        String title,
        String byline,
        @JsonProperty("site_name") String siteName,
        @JsonProperty("published_time") String publishedTime,
        String lang,
        String excerpt,
        String content,
        String format,
        @JsonProperty("word_count") Integer wordCount,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<PageLink> links,
        Boolean cached,
        @JsonInclude(JsonInclude.Include.NON_NULL) ErrorEnvelope.Body error) {

    public static final String OBJECT = "extract";

    static ExtractResponse of(ExtractService.Result r, ExtractOptions options) {
        ExtractedPage p = r.page();
        return new ExtractResponse(OBJECT, r.url(), r.finalUrl(), r.status(), p.title(), p.byline(), p.siteName(),
                p.publishedTime(), p.lang(), p.excerpt(), p.content(), options.format().name().toLowerCase(),
                p.wordCount(), options.includeLinks() ? p.links() : null, r.cached(), null);
    }

    static ExtractResponse failed(String url, dev.sluice.openai.ApiException e) {
        return new ExtractResponse(OBJECT, url, null, null, null, null, null, null, null, null, null, null, null, null,
                null, e.envelope().error());
    }

    /** {@code {"object": "list", "data": [...]}} for a batch. */
    @RegisterForReflection
    public record Batch(String object, List<ExtractResponse> data) {
        public Batch(List<ExtractResponse> data) {
            this("list", data);
        }
    }
}
