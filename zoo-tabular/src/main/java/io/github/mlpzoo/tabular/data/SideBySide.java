package io.github.mlpzoo.tabular.data;

import io.github.mlpzoo.core.train.Report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures a tabular report is shown beside: what a user would get from the other models on the same task (our
 * own measured runs of TabM, MLP and XGBoost, and the official code's figures), read from the resource
 * {@code side-by-side.tsv} (columns: dataset, model, metric, value, source). Each task puts them into its report's
 * details ({@code side_by_side}) and logs them next to the new figure.
 */
final class SideBySide {

    private static final Logger LOG = LoggerFactory.getLogger(SideBySide.class);
    static final String RESOURCE = "side-by-side.tsv";

    private SideBySide() {}

    /** The stored rows for {@code dataset}, each {@code {model, metric, value, source}}, in file order. */
    static List<Map<String, Object>> rows(String dataset) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (InputStream in = SideBySide.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the zoo-tabular jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("dataset\t")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length != 5) {
                    throw new IllegalStateException(RESOURCE + " line " + n + ": expected 5 tab-separated columns "
                            + "(dataset, model, metric, value, source); got " + c.length);
                }
                if (c[0].equals(dataset)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("model", c[1]);
                    row.put("metric", c[2]);
                    row.put("value", Double.parseDouble(c[3]));
                    row.put("source", c[4]);
                    out.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
        return out;
    }

    /** Logs {@code report}'s figure and the stored ones for its dataset, one line each. */
    static void log(Report report) {
        LOG.info(String.format(Locale.ROOT, "%-14s test %s %.4f  (this run)", report.model(), report.metric(),
                report.value()));
        for (Map<String, Object> row : rows(report.dataset())) {
            LOG.info(String.format(Locale.ROOT, "%-14s test %s %.4f  (%s)", row.get("model"), row.get("metric"),
                    (Double) row.get("value"), row.get("source")));
        }
    }
}
