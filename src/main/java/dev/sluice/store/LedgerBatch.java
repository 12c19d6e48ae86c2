package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The ledger lines of one group commit, written at its end: inserted as one JDBC batch of a statement prepared
 * once per connection, each line only if no line with its id exists ({@code ON CONFLICT (line_id) DO NOTHING}, on
 * SQLite as on PostgreSQL), then each key's balance changed once by the sum of the lines actually inserted, keys in sorted order so that
 * replicas writing the same keys never deadlock each other. Lines and balances change in one transaction.
 *
 * <p>This makes a retried group harmless: when COMMIT reports a failure (a connection lost at the wrong moment)
 * the group may in fact have committed; the writer runs it again, its lines are found, and no balance is changed a
 * second time.
 */
final class LedgerBatch implements GroupCommitWriter.Step {

    /** The ledger's columns in the order they are written, each next to the value of a line that fills it. */
    private static final ColumnTable<LedgerEntry> COLUMNS = new ColumnTable<>(
            ColumnTable.text("line_id", LedgerEntry::lineId),
            ColumnTable.bigint("ts", LedgerEntry::ts),
            ColumnTable.text("kind", LedgerEntry::kind),
            ColumnTable.text("key_id", LedgerEntry::keyId),
            ColumnTable.text("request_id", LedgerEntry::requestId),
            ColumnTable.text("operation", LedgerEntry::operation),
            ColumnTable.text("requested_model", LedgerEntry::requestedModel),
            ColumnTable.text("provider", LedgerEntry::provider),
            ColumnTable.text("served_model", LedgerEntry::servedModel),
            ColumnTable.text("deployment", LedgerEntry::deployment),
            ColumnTable.flag("stream", LedgerEntry::stream),
            ColumnTable.bigint("prompt_tokens", LedgerEntry::promptTokens),
            ColumnTable.bigint("completion_tokens", LedgerEntry::completionTokens),
            ColumnTable.bigint("cached_tokens", LedgerEntry::cachedTokens),
            ColumnTable.bigint("reasoning_tokens", LedgerEntry::reasoningTokens),
            ColumnTable.integer("extract_pages", LedgerEntry::extractPages),
            ColumnTable.bigint("cost_micros", LedgerEntry::costMicros),
            ColumnTable.bigint("amount_micros", LedgerEntry::amountMicros),
            ColumnTable.flag("priced", LedgerEntry::priced),
            ColumnTable.flag("estimated", LedgerEntry::estimated),
            ColumnTable.bigint("latency_ms", LedgerEntry::latencyMs),
            ColumnTable.integer("status", LedgerEntry::status),
            ColumnTable.text("outcome", LedgerEntry::outcome),
            ColumnTable.text("error_code", LedgerEntry::errorCode),
            ColumnTable.text("note", LedgerEntry::note),
            ColumnTable.text("client_session", LedgerEntry::clientSession),
            ColumnTable.flag("cache_hit", LedgerEntry::cacheHit));
    private static final Object STATE_KEY = new Object();

    private static final String INSERT = "INSERT INTO sluice_ledger (" + COLUMNS.names() + ") VALUES "
            + COLUMNS.placeholders()
            + " ON CONFLICT (line_id) DO NOTHING";
    private static final String ADD_TO_BALANCE = "UPDATE sluice_keys SET balance_micros = balance_micros + ?, "
            + "balance_seq = balance_seq + ? WHERE id = ? RETURNING balance_micros, balance_seq";
    private static final String READ_BALANCE = "SELECT balance_micros, balance_seq FROM sluice_keys WHERE id = ?";

    private final GroupCommitWriter.Group group;
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    private final Map<String, Balance> balances = new HashMap<>();
    private int inserted;

    private LedgerBatch(GroupCommitWriter.Group group) {
        this.group = group;
    }

    /**
     * Adds a line to the group's batch; the supplier gives the key's balance once the group has committed (null
     * for a line that changes no balance).
     */
    static Supplier<Balance> stage(GroupCommitWriter.Group group, LedgerEntry entry) {
        LedgerBatch batch = (LedgerBatch) group.state().get(STATE_KEY);
        if (batch == null) {
            batch = new LedgerBatch(group);
            group.state().put(STATE_KEY, batch);
            group.beforeCommit(batch);
        }
        batch.entries.putIfAbsent(entry.lineId(), entry);
        if (entry.amountMicros() == 0) {
            return () -> null;
        }
        LedgerBatch mine = batch;
        return () -> mine.balances.get(entry.keyId());
    }

    /** How many lines this batch inserted (the others were already stored). */
    int inserted() {
        return inserted;
    }

    @Override
    public void run(Connection c) throws SQLException {
        Set<String> stored = insert(c);
        inserted = stored.size();
        Map<String, long[]> deltas = new TreeMap<>();
        for (LedgerEntry e : entries.values()) {
            if (e.amountMicros() == 0) {
                continue;
            }
            long[] delta = deltas.computeIfAbsent(e.keyId(), k -> new long[2]);
            if (stored.contains(e.lineId())) {
                delta[0] += e.amountMicros();
                delta[1]++;
            }
        }
        PreparedStatement update = group.statement(ADD_TO_BALANCE);
        PreparedStatement read = group.statement(READ_BALANCE);
        for (Map.Entry<String, long[]> d : deltas.entrySet()) {
            PreparedStatement balance;
            if (d.getValue()[1] > 0) {
                update.setLong(1, d.getValue()[0]);
                update.setLong(2, d.getValue()[1]);
                update.setString(3, d.getKey());
                balance = update;
            } else {
                read.setString(1, d.getKey());
                balance = read;
            }
            try (ResultSet rs = balance.executeQuery()) {
                if (rs.next()) {
                    balances.put(d.getKey(), new Balance(d.getKey(), rs.getLong(1), rs.getLong(2)));
                }
            }
        }
    }

    /**
     * Inserts the lines not stored yet, as one JDBC batch of a statement prepared once per connection (SQLite runs
     * it row by row in the same transaction; the PostgreSQL driver sends the whole batch in one round trip); the
     * update count of each row tells whether it was inserted or already there. Returns the ids inserted.
     */
    private Set<String> insert(Connection c) throws SQLException {
        List<LedgerEntry> all = new ArrayList<>(entries.values());
        PreparedStatement ps = group.statement(INSERT);
        for (LedgerEntry e : all) {
            COLUMNS.bind(ps, e);
            ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        if (counts.length != all.size()) {
            throw new SQLException("the ledger insert reported " + counts.length + " results for " + all.size()
                    + " lines");
        }
        Set<String> stored = new HashSet<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                throw new SQLException("the driver did not say whether ledger line " + all.get(i).lineId()
                        + " was inserted");
            }
            if (counts[i] > 0) {
                stored.add(all.get(i).lineId());
            }
        }
        return stored;
    }
}
