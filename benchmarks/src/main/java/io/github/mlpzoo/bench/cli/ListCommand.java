package io.github.mlpzoo.bench.cli;

import ai.djl.util.JsonUtils;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code zoo list [--json | --markdown | --results-markdown] [--domain D]}: every registered variant with its size;
 * {@code --markdown} prints the README's models table (with our measured results from {@code measured.tsv}),
 * {@code --results-markdown} the README's Results table (every row of {@code measured.tsv}).
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered model variants.")
public final class ListCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the facts of every variant as a JSON array.")
    boolean json;

    @Option(names = "--markdown", description = "Print the README's model table (Markdown).")
    boolean markdown;

    @Option(names = "--results-markdown",
            description = "Print the README's Results table (Markdown): every result in measured.tsv.")
    boolean resultsMarkdown;

    @Option(names = "--domain", description = "Only this domain (vision, tabular, timeseries, ctr).")
    String domain;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (resultsMarkdown) {
            System.out.print(resultsTable(Facts.allMeasured().stream()
                    .filter(m -> domain == null || domain.equals(Zoo.variant(m.variant()).domain())).toList()));
            return 0;
        }
        List<Facts> facts = new ArrayList<>();
        for (Variant<?> v : Zoo.list()) {
            if (domain == null || domain.equals(v.domain())) {
                facts.add(Facts.of(v));
            }
        }
        if (json) {
            System.out.println(JsonUtils.GSON_PRETTY.toJson(facts));
            return 0;
        }
        if (markdown) {
            System.out.print(markdownTable(facts));
            return 0;
        }
        String fmt = "%-24s %-11s %9s %9s  %-22s %s%n";
        System.out.printf(fmt, "NAME", "DOMAIN", "PARAMS", "MACS", "INPUT", "OFFICIAL REPO");
        for (Facts f : facts) {
            System.out.printf(fmt, f.name(), f.domain(), Facts.human(f.params()), Facts.human(f.macs()),
                    f.inputShape(), f.officialRepo());
        }
        return 0;
    }

    /** The model table of the README, one row per variant; "measured" joins the variant's measured.tsv rows. */
    static String markdownTable(List<Facts> facts) {
        StringBuilder sb = new StringBuilder();
        sb.append("| name | domain | params | MACs | input | paper | official code | measured |\n");
        sb.append("|---|---|---:|---:|---|---|---|---|\n");
        for (Facts f : facts) {
            String measured = f.measured().isEmpty() ? "-"
                    : f.measured().stream().map(m -> cell(m.brief())).collect(Collectors.joining("<br>"));
            sb.append(String.format(Locale.ROOT, "| `%s` | %s | %,d | %s | %s | %s | %s | %s |%n",
                    f.name(), f.domain(), f.params(), Facts.human(f.macs()), f.inputShape(), f.paper(),
                    f.officialRepo(), measured));
        }
        return sb.toString();
    }

    /** The Results table of the README: every measured.tsv row, in file order. */
    static String resultsTable(List<Measured> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | dataset | metric | ours | anchor | wall time | command |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Measured m : rows) {
            sb.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %s | `%s` |%n",
                    m.variant(), cell(m.dataset()), cell(m.metric()), cell(m.ours()), cell(m.anchor()),
                    cell(m.wall()), m.command().replace("|", "\\|")));
        }
        return sb.toString();
    }

    /** A Markdown table cell: a literal '|' escaped. */
    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
