package dev.sluice.billing;

import dev.sluice.ops.tracing.Tracing;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.LocalAnswer;
import dev.sluice.pipeline.Outcome;
import dev.sluice.money.Usage;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.store.Balance;
import dev.sluice.store.Ledger;
import dev.sluice.store.LedgerEntry;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;

import java.util.Locale;

/**
 * The ledger line of a finished request and its append: what reports, invoices and the balance rest on, written
 * in one place so that every request, refused or served, leaves the same kind of line.
 */
final class LedgerLine {

    private final Ledger ledger;
    private final Tracing tracing;

    LedgerLine(Ledger ledger, Tracing tracing) {
        this.ledger = ledger;
        this.tracing = tracing;
    }

    /**
     * Appends the line and completes with the key's new balance once it is committed; a throw while queueing the
     * line is a failure like any other. Traced as a span of the request, from queueing the line until its group
     * commit.
     */
    Uni<Balance> append(Exchange exchange, LedgerEntry entry) {
        Span span = tracing.ledgerCommit(exchange);
        Uni<Balance> appended;
        try {
            appended = ledger.append(entry);
        } catch (RuntimeException e) {
            appended = Uni.createFrom().failure(e);
        }
        if (span == null) {
            return appended;
        }
        return appended.onItemOrFailure().invoke((balance, failure) -> Tracing.end(span, failure))
                .onCancellation().invoke(() -> Tracing.end(span, null));
    }

    /**
     * The line of a finished request.
     *
     * @param amount what the key's balance changes by (minus the cost; 0 for the master key)
     * @param note   why the line needs a second look (a reservation overrun), or null
     */
    static LedgerEntry of(Exchange exchange, Outcome outcome, Charge charge, long amount, String note) {
        int status = outcome.httpStatus();
        String code = outcome.errorCode();
        String result = outcome.result();
        ResolvedModel target = exchange.target();
        Usage usage = charge.usage();
        return new LedgerEntry(LedgerEntry.newLineId(), System.currentTimeMillis(), LedgerEntry.REQUEST,
                exchange.caller().keyId(), exchange.requestId(), exchange.operation().name().toLowerCase(Locale.ROOT),
                exchange.requestedModel(), target == null ? null : target.provider().name(),
                target == null ? null : target.model(), target == null ? null : target.deployment(),
                exchange.streaming(), usage.prompt(), usage.completion(), usage.cached(), usage.reasoning(),
                charge.pages(), charge.costMicros(), amount, charge.priced(), charge.estimated(),
                (System.nanoTime() - exchange.startNanos()) / 1_000_000, status, result, code, note,
                exchange.get(Exchange.CLIENT_SESSION), exchange.get(LocalAnswer.KEY) != null);
    }
}
