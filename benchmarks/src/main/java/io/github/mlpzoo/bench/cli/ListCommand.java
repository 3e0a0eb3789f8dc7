package io.github.mlpzoo.bench.cli;

import ai.djl.util.JsonUtils;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code zoo list [--json] [--domain D]}: every registered variant with its size. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered model variants.")
public final class ListCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the facts of every variant as a JSON array.")
    boolean json;

    @Option(names = "--markdown", description = "Print the README's model table (Markdown).")
    boolean markdown;

    @Option(names = "--domain", description = "Only this domain (vision, tabular, timeseries, ctr).")
    String domain;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
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

    /** The model table of the README, one row per variant. */
    static String markdownTable(List<Facts> facts) {
        StringBuilder sb = new StringBuilder();
        sb.append("| name | domain | params | MACs | input | paper | official code |\n");
        sb.append("|---|---|---:|---:|---|---|---|\n");
        for (Facts f : facts) {
            sb.append(String.format(java.util.Locale.ROOT, "| `%s` | %s | %,d | %s | %s | %s | %s |%n",
                    f.name(), f.domain(), f.params(), Facts.human(f.macs()), f.inputShape(), f.paper(),
                    f.officialRepo()));
        }
        return sb.toString();
    }
}
