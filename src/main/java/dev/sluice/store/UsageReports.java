package dev.sluice.store;

import java.util.List;

/** Aggregates over the ledger, for reports and invoices. Blocking: call on worker threads. */
public interface UsageReports {

    enum GroupBy {
        KEY, MODEL, PROVIDER, DAY, NONE
    }

    /**
     * One group of request lines.
     *
     * @param group the key id, {@code provider/model}, provider, or ISO day (null for {@link GroupBy#NONE})
     */
    record Row(String group, long requests, long failed, long promptTokens, long completionTokens,
               long cachedTokens, long reasoningTokens, long extractPages, long costMicros) {
    }

    /** One invoice line: a key's usage of one served model. */
    record InvoiceLine(String keyId, String provider, String model, long requests, long promptTokens,
                       long completionTokens, long cachedTokens, long reasoningTokens, long costMicros) {
    }

    /** Request lines with {@code from <= ts < to} (epoch ms), for one key or all (keyId null). */
    List<Row> usage(String keyId, long from, long to, GroupBy groupBy);

    List<InvoiceLine> invoiceLines(String keyId, long from, long to);

    /** The sum of credits in the period. */
    long credits(String keyId, long from, long to);
}
