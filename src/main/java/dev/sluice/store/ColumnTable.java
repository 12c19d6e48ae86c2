package dev.sluice.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collections;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The columns an insert fills, in order, each next to the value of a row that fills it: the column list, the
 * placeholders and the binding order come from one table and cannot drift apart. Built once per table (a static
 * constant); binding a row boxes nothing, as the ledger insert runs on every request's path.
 *
 * @param <T> the row type
 */
public final class ColumnTable<T> {

    /** Binds one column of a row to its placeholder. */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(PreparedStatement ps, int index, T row) throws SQLException;
    }

    /** One column: its name and how a row fills it. */
    public record Column<T>(String name, Binder<T> binder) {
    }

    public static <T> Column<T> text(String name, Function<T, String> value) {
        return new Column<>(name, (ps, i, row) -> ps.setString(i, value.apply(row)));
    }

    public static <T> Column<T> bigint(String name, ToLongFunction<T> value) {
        return new Column<>(name, (ps, i, row) -> ps.setLong(i, value.applyAsLong(row)));
    }

    /** A BIGINT column that may be NULL. */
    public static <T> Column<T> nullableBigint(String name, Function<T, Long> value) {
        return new Column<>(name, (ps, i, row) -> {
            Long v = value.apply(row);
            if (v == null) {
                ps.setNull(i, Types.BIGINT);
            } else {
                ps.setLong(i, v);
            }
        });
    }

    public static <T> Column<T> integer(String name, ToIntFunction<T> value) {
        return new Column<>(name, (ps, i, row) -> ps.setInt(i, value.applyAsInt(row)));
    }

    /** A flag stored as 0 or 1: SQLite has no boolean type. */
    public static <T> Column<T> flag(String name, Predicate<T> value) {
        return new Column<>(name, (ps, i, row) -> ps.setInt(i, value.test(row) ? 1 : 0));
    }

    private final Column<T>[] columns;
    private final String names;
    private final String placeholders;

    @SafeVarargs
    public ColumnTable(Column<T>... columns) {
        this.columns = columns.clone();
        this.names = Arrays.stream(columns).map(Column::name).collect(Collectors.joining(", "));
        this.placeholders = "(" + String.join(",", Collections.nCopies(columns.length, "?")) + ")";
    }

    /** The column names, comma-separated, in binding order. */
    public String names() {
        return names;
    }

    /** {@code (?,?,…)}: one placeholder a column. */
    public String placeholders() {
        return placeholders;
    }

    /** Binds a row's values to the placeholders 1 to the number of columns. */
    public void bind(PreparedStatement ps, T row) throws SQLException {
        for (int i = 0; i < columns.length; i++) {
            columns[i].binder().bind(ps, i + 1, row);
        }
    }
}
