package dev.sluice.extract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.api.RequestReader;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /v1/extract}: a public page (or HTML the caller already has) as clean Markdown, text or HTML, with its
 * metadata. Fetching goes through the SSRF-proof fetcher; extraction runs on worker threads.
 */
@Path("/v1/extract")
@Tag(name = "Web extract")
public class ExtractResource {

    @Inject
    ExtractService service;
    @Inject
    RequestReader reader;
    @Inject
    ExtractConfig config;

    @POST
    @Operation(summary = "Extract the main content of pages", description = "`url`, `urls` (a batch fetched "
            + "concurrently) or `html` (with an optional `url` as its base; nothing is fetched).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ExtractRequest.class)))
    public Uni<Response> extract(byte[] body) {
        ObjectNode tree = reader.parse(body);
        ExtractRequest request = reader.bindExact(tree, ExtractRequest.class);
        reader.validate(request);
        ExtractOptions options = options(request.format(), request.includeLinks(), request.includeImages(),
                maxChars(request.maxChars()), request.selector(), request.excludeSelectors());
        Duration timeout = request.timeoutMs() == null ? null : Duration.ofMillis(request.timeoutMs());
        boolean noCache = Boolean.TRUE.equals(request.noCache());
        int inputs = (request.url() != null && request.html() == null ? 1 : 0) + (request.urls() != null ? 1 : 0)
                + (request.html() != null ? 1 : 0);
        if (inputs != 1) {
            throw ApiException.invalidRequest("Send exactly one of 'url', 'urls' or 'html' (with 'url' as its base)",
                    inputs == 0 ? "url" : "urls");
        }
        if (request.html() != null) {
            return service.extractHtml(request.html(), request.url(), options, timeout)
                    .map(r -> json(ExtractResponse.of(r, options)));
        }
        if (request.urls() != null) {
            return batch(request.urls(), options, timeout, noCache);
        }
        return service.extract(request.url(), options, timeout, noCache).map(r -> json(ExtractResponse.of(r, options)));
    }

    @GET
    @Operation(summary = "Extract the main content of one page", description = "The same JSON as POST, or plain "
            + "Markdown when the client sends `Accept: text/markdown`.")
    public Uni<Response> extractGet(@QueryParam("url") String url, @QueryParam("format") String format,
                                    @QueryParam("include_links") Boolean includeLinks,
                                    @QueryParam("include_images") Boolean includeImages,
                                    @QueryParam("max_chars") Integer maxChars, @QueryParam("selector") String selector,
                                    @QueryParam("exclude_selectors") List<String> excludeSelectors,
                                    @QueryParam("timeout_ms") Integer timeoutMs, @QueryParam("no_cache") Boolean noCache,
                                    @HeaderParam("Accept") String accept) {
        if (url == null || url.isBlank()) {
            throw ApiException.invalidRequest("The 'url' query parameter is required", "url");
        }
        boolean markdown = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/markdown");
        ExtractRequest request = new ExtractRequest(url, null, null, markdown && format == null ? "markdown" : format,
                includeLinks, includeImages, maxChars, selector, excludeSelectors, timeoutMs, noCache);
        reader.validate(request);
        ExtractOptions options = options(request.format(), includeLinks, includeImages, maxChars(maxChars), selector,
                excludeSelectors);
        Duration timeout = timeoutMs == null ? null : Duration.ofMillis(timeoutMs);
        return service.extract(url, options, timeout, Boolean.TRUE.equals(noCache)).map(r -> {
            if (markdown) {
                return Response.ok(r.page().content(), "text/markdown; charset=utf-8").build();
            }
            return json(ExtractResponse.of(r, options));
        });
    }

    private Uni<Response> batch(List<String> urls, ExtractOptions options, Duration timeout, boolean noCache) {
        if (urls.size() > config.maxUrls()) {
            throw ApiException.invalidRequest("At most " + config.maxUrls() + " URLs per request (got " + urls.size()
                    + ")", "urls");
        }
        List<Uni<ExtractResponse>> each = new ArrayList<>();
        for (String u : urls) {
            each.add(service.extract(u, options, timeout, noCache)
                    .map(r -> ExtractResponse.of(r, options))
                    .onFailure(ApiException.class).recoverWithItem(f -> ExtractResponse.failed(u, (ApiException) f)));
        }
        return Uni.join().all(each).andFailFast().map(list -> json(new ExtractResponse.Batch(list)));
    }

    static ExtractOptions options(String format, Boolean links, Boolean images, Integer maxChars, String selector,
                                  List<String> exclude) {
        SelectorRule.check(selector, exclude); // before anything is fetched
        OutputFormat f = format == null ? OutputFormat.MARKDOWN : OutputFormat.valueOf(format.toUpperCase(Locale.ROOT));
        return new ExtractOptions(f, Boolean.TRUE.equals(links), Boolean.TRUE.equals(images), maxChars, selector,
                exclude);
    }

    /** The request's {@code max_chars}, or the default that bounds what one page returns and caches. */
    private Integer maxChars(Integer requested) {
        return requested != null ? requested : config.defaultMaxChars();
    }

    private static Response json(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
