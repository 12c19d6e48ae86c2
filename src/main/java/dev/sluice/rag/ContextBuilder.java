package dev.sluice.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Chooses the passages to inject and writes the message that carries them: every page is chunked, the chunks are
 * ranked against the question with BM25, the best are taken until the token budget is spent, then put back in
 * page order under numbered source headers ({@code [1] Title — URL}), after an instruction to answer from them
 * and cite them as {@code [n]}.
 */
final class ContextBuilder {

    static final String INSTRUCTION = "Excerpts of web pages follow, to help answer the user's next message. Answer "
            + "from these sources and cite each source you use with its number in square brackets, for example [1]. "
            + "If the sources do not answer the question, say so.";

    /** A page that was fetched and extracted: its number in the source list, URL, title and Markdown. */
    record Page(int index, String url, String title, String markdown) {
    }

    /** The message to inject (null when nothing fits), the source numbers it cites, and its size in tokens. */
    record Built(String message, List<Integer> usedSources, int tokens) {
    }

    private record Scored(Chunk chunk, double score, int rank) {
    }

    private ContextBuilder() {
    }

    static Built build(List<Page> pages, String question, int budget, Chunker chunker, ToIntFunction<String> tokens) {
        List<Chunk> chunks = new ArrayList<>();
        for (Page page : pages) {
            chunks.addAll(chunker.chunk(page.index(), page.markdown()));
        }
        if (chunks.isEmpty()) {
            return new Built(null, List.of(), 0);
        }
        List<String> documents = chunks.stream().map(c -> c.headingPath() + "\n" + c.text()).toList();
        double[] scores = Bm25.scores(documents, question);
        boolean anyMatch = false;
        for (double s : scores) {
            anyMatch |= s > 0;
        }
        List<Scored> ranked = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            ranked.add(new Scored(chunks.get(i), scores[i], i));
        }
        if (anyMatch) {
            ranked.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::rank));
        } else {
            // nothing matches the question: take the pages' beginnings, alternating between pages
            ranked.sort(Comparator.comparingInt((Scored s) -> s.chunk().ordinal()).thenComparingInt(s -> s.chunk().page()));
        }
        Map<Integer, Page> byIndex = new LinkedHashMap<>();
        pages.forEach(p -> byIndex.put(p.index(), p));

        List<Scored> chosen = new ArrayList<>();
        int used = tokens.applyAsInt(INSTRUCTION) + 2;
        java.util.Set<Integer> pagesChosen = new java.util.HashSet<>();
        for (Scored candidate : ranked) {
            if (anyMatch && candidate.score() <= 0) {
                break; // irrelevant passages are not worth their tokens
            }
            int cost = tokens.applyAsInt(excerpt(candidate.chunk())) + 2;
            if (!pagesChosen.contains(candidate.chunk().page())) {
                cost += tokens.applyAsInt(header(byIndex.get(candidate.chunk().page()))) + 2;
            }
            if (used + cost <= budget) {
                chosen.add(candidate);
                pagesChosen.add(candidate.chunk().page());
                used += cost;
            }
        }
        // the estimate above ignores how pieces join; trim by exact count if needed
        while (!chosen.isEmpty()) {
            String message = render(chosen, byIndex);
            int exact = tokens.applyAsInt(message);
            if (exact <= budget) {
                List<Integer> sources = chosen.stream().map(s -> s.chunk().page()).distinct().sorted().toList();
                return new Built(message, sources, exact);
            }
            chosen.remove(chosen.stream().min(Comparator.comparingDouble(Scored::score)).orElseThrow());
        }
        return new Built(null, List.of(), 0);
    }

    private static String render(List<Scored> chosen, Map<Integer, Page> pages) {
        List<Chunk> inPageOrder = chosen.stream().map(Scored::chunk)
                .sorted(Comparator.comparingInt(Chunk::page).thenComparingInt(Chunk::ordinal)).toList();
        StringBuilder out = new StringBuilder(INSTRUCTION).append("\n\n");
        int currentPage = -1;
        for (Chunk chunk : inPageOrder) {
            if (chunk.page() != currentPage) {
                currentPage = chunk.page();
                out.append(header(pages.get(currentPage))).append("\n\n");
            }
            out.append(excerpt(chunk)).append("\n\n");
        }
        return out.toString().strip();
    }

    static String header(Page page) {
        String title = page.title() == null || page.title().isBlank() ? page.url() : page.title().strip();
        return "[" + page.index() + "] " + title + " — " + page.url();
    }

    private static String excerpt(Chunk chunk) {
        return chunk.headingPath().isEmpty() ? chunk.text() : "Section: " + chunk.headingPath() + "\n" + chunk.text();
    }
}
