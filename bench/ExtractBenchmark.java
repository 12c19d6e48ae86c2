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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * <p>After full warm-up passes of both outputs, every page is extracted twice, each timed on its own, in alternating
 * order: as Markdown (parse + clean + Markdown, the API's default output: no links, no images), which gives the
 * headline {@code ms/page} figures, and as plain text, which is what the scorer compares; its time is printed on
 * its own line. Files are read and decompressed before timing starts.
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

        // Both outputs are timed page by page in one loop, the order alternating, so that neither gets a warmer JIT
        ObjectMapper json = new ObjectMapper();
        long[] markdownNanos = new long[pages.size()];
        long[] markdownCpu = new long[pages.size()];
        long[] textNanos = new long[pages.size()];
        List<String> texts = new ArrayList<>(pages.size());
        List<String> types = new ArrayList<>(pages.size());
        for (int i = 0; i < pages.size(); i++) {
            BenchPage page = pages.get(i);
            Timed md;
            Timed plain;
            if (i % 2 == 0) {
                md = time(extractor, page, markdown);
                plain = time(extractor, page, text);
            } else {
                plain = time(extractor, page, text);
                md = time(extractor, page, markdown);
            }
            markdownNanos[i] = md.nanos();
            markdownCpu[i] = md.cpuNanos();
            textNanos[i] = plain.nanos();
            texts.add(plain.page().content());
            types.add(plain.page().pageType().name().toLowerCase(Locale.ROOT));
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
        report("cpu ms/page", markdownCpu);
        report("text-output ms/page", textNanos);
        System.out.println("ms/page: parse + clean + Markdown, wall clock; cpu: the same, CPU time of the thread "
                + "(less sensitive to a busy machine); text-output: parse + clean + text, wall clock (what is scored)");
        System.out.println("wrote " + out);
    }

    /** One extraction: its result, wall-clock time and the CPU time of this thread, in nanoseconds. */
    private record Timed(ExtractedPage page, long nanos, long cpuNanos) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static Timed time(ContentExtractor extractor, BenchPage page, ExtractOptions options) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        ExtractedPage result = extractor.extract(page.html(), page.url(), options);
        long wall = System.nanoTime() - start;
        return new Timed(result, wall, THREADS.getCurrentThreadCpuTime() - cpu);
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
