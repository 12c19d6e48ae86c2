package dev.sluice.rag;

import dev.sluice.pipeline.WebExtractUse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.extract.ExtractOptions;
import dev.sluice.extract.ExtractService;
import dev.sluice.fetch.FetchException;
import dev.sluice.fetch.SafeUrl;
import dev.sluice.ops.tracing.Tracing;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.Stage;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.tokens.TokenCounter;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retrieval-augmented chat: a chat request's {@code web_extract} names pages (or asks Sluice to take the URLs
 * from the last user message); their most relevant passages are injected, under a token budget, as one system
 * message right above the last user message, with numbered sources and an instruction to cite them.
 *
 * <p>It works on the OpenAI-format request before any provider translation, so every provider kind, streaming or
 * not, gets the same context. Pages go through the web-extract pipeline (same address guard, same cache), in
 * parallel under one deadline ({@code sluice.rag.timeout}, fixed when the request arrives) that covers fetching
 * and extracting every page: a page not ready by then is a {@code fetch_timeout} source error. Extraction,
 * chunking, ranking and token counting run on worker threads. The
 * response gains {@code sources} (streaming: on the first chunk), {@code url_citation} annotations for the
 * {@code [n]} markers in the answer (streaming: on each choice's final chunk) and {@code usage.web_extract}.
 */
@ApplicationScoped
public class RetrievalInterceptor implements ExchangeInterceptor {

    /** Exchange attribute holding the {@link Retrieval}. */
    static final Exchange.Key<Retrieval> RETRIEVAL = new Exchange.Key<>("sluice.retrieval", Retrieval.class);
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"'`]+", Pattern.CASE_INSENSITIVE);
    private static final ExtractOptions PAGE_OPTIONS = new ExtractOptions(dev.sluice.extract.OutputFormat.MARKDOWN,
            false, false, null, null, List.of());

    @Inject
    ExtractService extract;
    @Inject
    TokenCounter tokens;
    @Inject
    RagConfig config;
    @Inject
    Tracing tracing = Tracing.off();

    /** Exchange attribute holding the request's {@link Planned} retrieval. */
    private static final Exchange.Key<Planned> PLANNED = new Exchange.Key<>("sluice.retrieval.planned", Planned.class);

    @Override
    public Stage stage() {
        return Stage.RETRIEVAL;
    }

    /**
     * What a request's {@code web_extract} may cost before anything is fetched: the pages it may read (its URLs,
     * those {@code auto} finds in the question, at most {@code max_urls}) and the tokens it may inject (its budget
     * plus a message's overhead). Parses and checks the field once (a 400 names what is wrong).
     *
     * @param urls the URLs to read
     */
    public record Planned(List<String> urls, int tokens, WebExtractOptions options) {
        static final Planned NONE = new Planned(List.of(), 0, null);

        public int pages() {
            return urls.size();
        }
    }

    /** The retrieval a request asks for (nothing when it has no {@code web_extract}). */
    public Planned planned(Exchange exchange) {
        Planned known = exchange.get(PLANNED);
        if (known != null) {
            return known;
        }
        Planned planned = Planned.NONE;
        if (exchange.chat() != null && exchange.chat().body().has(WebExtractOptions.FIELD)) {
            WebExtractOptions options = WebExtractOptions.parse(exchange.chat().body().get(WebExtractOptions.FIELD),
                    config);
            List<String> urls = urls(options, lastUserText(exchange.chat().body()));
            // the message's own overhead: role and separators, as the estimator counts every message
            planned = new Planned(urls, urls.isEmpty() ? 0 : options.maxTokens() + MESSAGE_OVERHEAD, options);
        }
        exchange.put(PLANNED, planned);
        exchange.put(WebExtractUse.PLAN, new WebExtractUse.Plan(planned.pages(), planned.tokens()));
        return planned;
    }

    private static final int MESSAGE_OVERHEAD = 4;

    /** The figures billing prices for this exchange: pages used, characters read, tokens injected. */
    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (exchange.chat() == null || !exchange.chat().body().has(WebExtractOptions.FIELD)) {
            return CONTINUE;
        }
        Planned planned = planned(exchange);
        WebExtractOptions options = planned.options();
        ObjectNode body = exchange.chat().edit();
        body.remove(WebExtractOptions.FIELD);
        String question = lastUserText(body);
        List<String> urls = planned.urls();

        // one deadline, fixed now, for fetching and extracting every page; a page that runs over it is dropped
        Duration budget = config.timeout();
        long deadline = System.nanoTime() + budget.toNanos();
        List<Uni<Fetched>> fetches = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            int index = i + 1;
            String url = urls.get(i);
            fetches.add(Uni.createFrom().deferred(() -> {
                Span span = tracing.pageFetch(exchange, index, url);
                Uni<Fetched> page = Uni.createFrom().deferred(() -> {
                            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                            // the fetch keeps its own limit (sluice.extract.timeout) inside this deadline
                            return extract.extract(url, PAGE_OPTIONS, null, false)
                                    .ifNoItem().after(left).failWith(() -> FetchException.deadline(budget.toMillis()));
                        })
                        .map(r -> {
                            if (r.page().content() == null || r.page().content().isBlank()) {
                                return Fetched.failed(index, url, "empty_page", "the page has no readable content");
                            }
                            return new Fetched(index, url, r.page().title(), r.page().content(), null, null);
                        })
                        .onFailure(ApiException.class).recoverWithItem(f -> Fetched.failed(index, url,
                                ((ApiException) f).code(), f.getMessage()));
                return span == null ? page : page
                        .onItemOrFailure().invoke((f, failure) -> {
                            if (failure != null) {
                                Tracing.end(span, failure);
                            } else {
                                Tracing.pageFetched(span, f.error());
                            }
                        })
                        .onCancellation().invoke(() -> Tracing.end(span, null));
            }));
        }
        Uni<List<Fetched>> all = fetches.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(fetches).andFailFast();
        ResolvedModel target = exchange.target();
        io.vertx.core.Context requestContext = io.vertx.core.Vertx.currentContext();
        return all.emitOn(Infrastructure.getDefaultWorkerPool()).map(pages -> {
            if (options.required()) {
                for (Fetched f : pages) {
                    if (f.error() != null) {
                        throw new ApiException(422, ApiException.INVALID_REQUEST, "web_extract_failed",
                                WebExtractOptions.FIELD + ".urls", "Page " + f.url() + " could not be used: "
                                + f.message());
                    }
                }
            }
            List<ContextBuilder.Page> usable = pages.stream().filter(f -> f.error() == null)
                    .map(f -> new ContextBuilder.Page(f.index(), f.url(), f.title(), f.markdown())).toList();
            ContextBuilder.Built built = ContextBuilder.build(usable, question, options.maxTokens(),
                    new Chunker(config.chunkTokens(), config.chunkOverlapTokens()),
                    text -> tokens.count(text, target.provider().profile().tokenizer(), target.model()));
            return new Prepared(pages, built);
        }).emitOn(work -> {
            // back to the request's event loop, where the rest of the exchange runs
            if (requestContext != null) {
                requestContext.runOnContext(v -> work.run());
            } else {
                work.run();
            }
        }).invoke(prepared -> {
            if (prepared.built().message() != null) {
                inject(body, prepared.built().message());
            }
            Retrieval retrieval = retrieval(prepared);
            exchange.put(RETRIEVAL, retrieval);
            exchange.put(WebExtractUse.USED, retrieval.used);
        }).replaceWithVoid();
    }

    @Override
    public void onResponse(Exchange exchange, ObjectNode response) {
        Retrieval r = exchange.get(RETRIEVAL);
        if (r == null) {
            return;
        }
        response.set("sources", r.sources);
        for (JsonNode choice : response.path("choices")) {
            JsonNode message = choice.path("message");
            if (message instanceof ObjectNode m && message.path("content").isTextual()) {
                addAnnotations(m, Citations.annotations(message.path("content").asText(), r.cited));
            }
        }
        if (response.get("usage") instanceof ObjectNode usage) {
            r.usage(usage);
        }
    }

    @Override
    public void onChunk(Exchange exchange, ChatChunk chunk) {
        Retrieval r = exchange.get(RETRIEVAL);
        if (r == null) {
            return;
        }
        if (!r.sourcesSent) {
            chunk.edit().set("sources", r.sources);
            r.sourcesSent = true;
        }
        JsonNode choices = chunk.json().path("choices");
        for (JsonNode choice : choices) {
            int index = choice.path("index").asInt(0);
            JsonNode content = choice.path("delta").path("content");
            if (content.isTextual()) {
                r.streamedContent.computeIfAbsent(index, i -> new StringBuilder()).append(content.asText());
            }
            if (choice.hasNonNull("finish_reason") && choice.path("delta") instanceof ObjectNode) {
                StringBuilder text = r.streamedContent.get(index);
                ArrayNode annotations = Citations.annotations(text == null ? "" : text.toString(), r.cited);
                if (!annotations.isEmpty()) {
                    ObjectNode delta = (ObjectNode) chunk.edit().path("choices").get(indexOf(choices, choice))
                            .path("delta");
                    addAnnotations(delta, annotations);
                }
            }
        }
        if (chunk.rawContains("\"usage\"") && chunk.json().get("usage") instanceof ObjectNode usage) {
            r.usage((ObjectNode) chunk.edit().get("usage"));
        }
    }

    private static int indexOf(JsonNode array, JsonNode element) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) == element) {
                return i;
            }
        }
        return 0;
    }

    private static void addAnnotations(ObjectNode target, ArrayNode annotations) {
        if (annotations.isEmpty()) {
            return;
        }
        JsonNode existing = target.get("annotations");
        if (existing instanceof ArrayNode list) {
            list.addAll(annotations);
        } else {
            target.set("annotations", annotations);
        }
    }

    /** The URLs to fetch: the request's, then (with {@code auto}) those in the last user message; at most max_urls. */
    private static List<String> urls(WebExtractOptions options, String question) {
        Set<String> urls = new LinkedHashSet<>(options.urls());
        if (options.auto() && question != null) {
            Matcher m = URL.matcher(question);
            while (m.find()) {
                String candidate = m.group().replaceAll("[.,;:!?)\\]}]+$", "");
                try {
                    urls.add(SafeUrl.parse(candidate).url());
                } catch (FetchException notAUrlWeFetch) {
                    urls.add(candidate); // reported as a failed source, with the reason
                }
            }
        }
        return urls.stream().limit(options.maxUrls()).toList();
    }

    /** Inserts the context as a system message immediately above the last user message. */
    private static void inject(ObjectNode body, String message) {
        ArrayNode messages = (ArrayNode) body.get("messages");
        int at = messages.size();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                at = i;
                break;
            }
        }
        ObjectNode system = JsonNodeFactory.instance.objectNode();
        system.put("role", "system");
        system.put("content", message);
        messages.insert(at, system);
    }

    /** The text of the last user message (string content, or its text parts). */
    static String lastUserText(ObjectNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!"user".equals(m.path("role").asText())) {
                continue;
            }
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())) {
                    text.append(part.path("text").asText()).append('\n');
                }
            }
            return text.toString();
        }
        return "";
    }

    private static Retrieval retrieval(Prepared prepared) {
        ArrayNode sources = JsonNodeFactory.instance.arrayNode();
        Map<Integer, Citations.Cited> cited = new LinkedHashMap<>();
        Set<Integer> used = new LinkedHashSet<>(prepared.built().usedSources());
        int pages = 0;
        long chars = 0;
        for (Fetched f : prepared.pages()) {
            ObjectNode s = sources.addObject();
            s.put("index", f.index());
            s.put("url", f.url());
            s.put("title", f.title());
            if (f.error() != null) {
                s.put("status", "error");
                ObjectNode error = s.putObject("error");
                error.put("code", f.error());
                error.put("message", f.message());
                continue;
            }
            pages++;
            chars += f.markdown().length();
            boolean isUsed = used.contains(f.index());
            s.put("status", isUsed ? "used" : "not_relevant");
            if (isUsed) {
                cited.put(f.index(), new Citations.Cited(f.url(), f.title() == null ? f.url() : f.title()));
            }
        }
        return new Retrieval(sources, cited, new WebExtractUse.Used(pages, chars, prepared.built().tokens()));
    }

    private record Fetched(int index, String url, String title, String markdown, String error, String message) {
        static Fetched failed(int index, String url, String code, String message) {
            return new Fetched(index, url, null, null, code == null ? "fetch_failed" : code, message);
        }
    }

    private record Prepared(List<Fetched> pages, ContextBuilder.Built built) {
    }
}
