package dev.sluice.console;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The console's pages, in navigation order; the operator's pages are refused (403) to a virtual key. */
public enum ConsolePage {
    OVERVIEW("Overview", false, true),
    KEYS("Keys", true, false),
    USAGE("Usage", false, true),
    INVOICES("Invoices", false, false),
    LOGS("Logs", false, false),
    ROUTING("Routing", true, false),
    PLAYGROUND("Playground", false, false);

    public final String title;
    public final boolean masterOnly;
    /** Whether the page draws charts (only those pages load Chart.js). */
    public final boolean charts;

    ConsolePage(String title, boolean masterOnly, boolean charts) {
        this.title = title;
        this.masterOnly = masterOnly;
        this.charts = charts;
    }

    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ConsolePage> of(String path) {
        return Arrays.stream(values()).filter(p -> p.path().equals(path)).findFirst();
    }

    /** The pages a caller may open, for the navigation bar. */
    public static List<ConsolePage> visibleTo(boolean master) {
        return Arrays.stream(values()).filter(p -> master || !p.masterOnly).toList();
    }
}
