package dev.sluice.extract.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.extract.ContentExtractor;
import dev.sluice.extract.ExtractOptions;
import dev.sluice.extract.ExtractedPage;
import dev.sluice.extract.OutputFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Runs {@link ContentExtractor} over a WCXB-style benchmark folder ({@code html/ID.html.gz} and
 * {@code ground-truth/ID.json} with the page's {@code url}) on one thread, writes {@code {"id", "text"}} JSON Lines
 * for the scorer, and prints extraction time per page.
 *
 * <p>Two passes are timed, page by page, after full warm-up passes of both: the Markdown pass (parse + clean +
 * Markdown, the API's default output: no links, no images) gives the headline {@code ms/page} figures; the text
 * pass produces what the scorer compares (it scores plain text) and its time is printed on its own line. Files are
 * read and decompressed before timing starts.
 *
 * <p>Usage: {@code ExtractBenchmark BENCHMARK_DIR OUT.jsonl [--warmup N] [--limit N]}
 */
public final class ExtractBenchmark {

    private record BenchPage(String id, String url, String html) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ExtractBenchmark BENCHMARK_DIR OUT.jsonl [--warmup N] [--limit N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int warmupPasses = 1;
        int limit = Integer.MAX_VALUE;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--warmup" -> warmupPasses = Integer.parseInt(args[i + 1]);
                case "--limit" -> limit = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }

        List<BenchPage> pages = load(dir, limit);
        if (pages.isEmpty()) {
            System.err.println("no pages under " + dir.resolve("html"));
            System.exit(1);
        }
        ContentExtractor extractor = new ContentExtractor();
        ExtractOptions text = ExtractOptions.text();
        ExtractOptions markdown = text.withFormat(OutputFormat.MARKDOWN);

        for (int pass = 0; pass < warmupPasses; pass++) {
            for (BenchPage page : pages) {
                extractor.extract(page.html(), page.url(), markdown);
                extractor.extract(page.html(), page.url(), text);
            }
        }

        long[] markdownNanos = new long[pages.size()];
        for (int i = 0; i < pages.size(); i++) {
            BenchPage page = pages.get(i);
            long start = System.nanoTime();
            ExtractedPage result = extractor.extract(page.html(), page.url(), markdown);
            markdownNanos[i] = System.nanoTime() - start;
            if (result.content() == null) {
                throw new IllegalStateException("no content for " + page.id());
            }
        }

        ObjectMapper json = new ObjectMapper();
        long[] textNanos = new long[pages.size()];
        List<String> texts = new ArrayList<>(pages.size());
        List<String> types = new ArrayList<>(pages.size());
        for (int i = 0; i < pages.size(); i++) {
            BenchPage page = pages.get(i);
            long start = System.nanoTime();
            ExtractedPage result = extractor.extract(page.html(), page.url(), text);
            textNanos[i] = System.nanoTime() - start;
            texts.add(result.content());
            types.add(result.pageType().name().toLowerCase(Locale.ROOT));
        }

        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < pages.size(); i++) {
                ObjectNode line = json.createObjectNode();
                line.put("id", pages.get(i).id());
                line.put("text", texts.get(i));
                line.put("type", types.get(i));
                w.write(json.writeValueAsString(line));
                w.write('\n');
            }
        }

        System.out.printf(Locale.ROOT, "pages=%d warmup_passes=%d threads=1%n", pages.size(), warmupPasses);
        double markdownMs = report("ms/page", markdownNanos);
        System.out.printf(Locale.ROOT, "pages/s=%.1f%n", pages.size() / (markdownMs / 1000));
        report("text-output ms/page", textNanos);
        System.out.println("ms/page: parse + clean + Markdown; text-output: parse + clean + text (what is scored)");
        System.out.println("wrote " + out);
    }

    /** Prints one timing line and returns the total in milliseconds. */
    private static double report(String label, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double totalMs = Arrays.stream(nanos).sum() / 1e6;
        System.out.printf(Locale.ROOT, "%s p50=%.2f p90=%.2f p99=%.2f mean=%.2f max=%.2f%n", label,
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), totalMs / nanos.length,
                sorted[sorted.length - 1] / 1e6);
        return totalMs;
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static List<BenchPage> load(Path dir, int limit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("html"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".html.gz")).sorted().limit(limit).toList();
        }
        List<BenchPage> pages = new ArrayList<>(files.size());
        for (Path file : files) {
            String name = file.getFileName().toString();
            String id = name.substring(0, name.length() - ".html.gz".length());
            Path truth = dir.resolve("ground-truth").resolve(id + ".json");
            String url = null;
            if (Files.exists(truth)) {
                JsonNode node = json.readTree(truth.toFile());
                url = node.path("url").asText(null);
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                pages.add(new BenchPage(id, url, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return pages;
    }
}
