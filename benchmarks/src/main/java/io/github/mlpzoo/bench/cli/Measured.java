package io.github.mlpzoo.bench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One result our own training code measured: a row of {@code measured.tsv} (resource
 * {@value #RESOURCE}), the single source of the "measured" column of {@code zoo list --markdown}, the rows of
 * {@code zoo info} and the README's Results table ({@code zoo list --results-markdown}).
 *
 * <p>File format: UTF-8, tab-separated, lines starting with {@code #} and blank lines ignored; the first other
 * line is the header {@code variant dataset metric ours anchor wall command}; every row has exactly these seven
 * columns, none empty (write {@code -} for "none"), without surrounding spaces; the variant is a registered name;
 * a (variant, dataset, metric) triple appears once.
 *
 * @param variant registered variant name
 * @param dataset dataset name, e.g. {@code california}
 * @param metric what was measured, e.g. {@code test RMSE ($100k)}
 * @param ours our figure (mean and per-seed values, or the single run)
 * @param anchor the paper's or official code's figure, or {@code -}
 * @param wall wall time per run with threads and machine load, or {@code -}
 * @param command the command that reproduces the row
 */
record Measured(String variant, String dataset, String metric, String ours, String anchor, String wall,
        String command) {

    /** Class-path location of the file. */
    static final String RESOURCE = "/io/github/mlpzoo/bench/measured.tsv";

    /** The header, in order. */
    static final List<String> COLUMNS = List.of("variant", "dataset", "metric", "ours", "anchor", "wall", "command");

    /** {@code metric: ours (dataset)}, as in the models table's "measured" column. */
    String brief() {
        return metric + ": " + ours + " (" + dataset + ")";
    }

    /**
     * The rows of the bundled {@code measured.tsv}, checked against {@code knownVariants}.
     *
     * @throws IllegalArgumentException naming the line, if the file breaks its format (see the class doc)
     */
    static List<Measured> load(Set<String> knownVariants) {
        try (InputStream in = Measured.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("measured results " + RESOURCE + " are missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), knownVariants);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses {@code measured.tsv} text.
     *
     * @throws IllegalArgumentException naming the line and what was expected, at the first bad line
     */
    static List<Measured> parse(String text, Set<String> knownVariants) {
        List<Measured> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean header = false;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String where = "measured.tsv line " + (i + 1);
            if (!header) {
                if (!List.of(f).equals(COLUMNS)) {
                    throw new IllegalArgumentException(where + ": expected the header '" + String.join("<TAB>", COLUMNS)
                            + "'; got '" + line.replace("\t", "<TAB>") + "'");
                }
                header = true;
                continue;
            }
            if (f.length != COLUMNS.size()) {
                throw new IllegalArgumentException(String.format(
                        "%s: expected %d tab-separated columns (%s); got %d in '%s'", where, COLUMNS.size(),
                        String.join(", ", COLUMNS), f.length, line.replace("\t", "<TAB>")));
            }
            for (int c = 0; c < f.length; c++) {
                if (f[c].isEmpty() || !f[c].equals(f[c].strip())) {
                    throw new IllegalArgumentException(String.format(
                            "%s: column '%s' is %s; expected a value without surrounding spaces ('-' for none)",
                            where, COLUMNS.get(c), f[c].isEmpty() ? "empty" : "'" + f[c] + "'"));
                }
            }
            if (!knownVariants.contains(f[0])) {
                throw new IllegalArgumentException(String.format(
                        "%s: unknown variant '%s'; expected a name from zoo list", where, f[0]));
            }
            if (!seen.add(f[0] + "\t" + f[1] + "\t" + f[2])) {
                throw new IllegalArgumentException(String.format(
                        "%s: a second row for variant '%s', dataset '%s', metric '%s'; update the first one",
                        where, f[0], f[1], f[2]));
            }
            rows.add(new Measured(f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
        }
        if (!header) {
            throw new IllegalArgumentException("measured.tsv has no header line '" + String.join("<TAB>", COLUMNS)
                    + "'");
        }
        return List.copyOf(rows);
    }
}
