package io.github.mlpzoo.bench.cli;

import ai.djl.util.JsonUtils;
import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.core.zoo.Zoo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code zoo info NAME [--json]}: parameters, MACs, input, config, source paper and official repository, the paper's
 * anchors and our measured results (the variant's rows of {@code measured.tsv}).
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe one model variant.")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Variant name (see zoo list).")
    String name;

    @Option(names = "--json", description = "Print the facts as JSON.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        Facts f = Facts.of(Zoo.variant(name));
        if (json) {
            System.out.println(JsonUtils.GSON_PRETTY.toJson(f));
            return 0;
        }
        System.out.printf("%s (%s)%n", f.name(), f.domain());
        if (!f.summary().isEmpty()) {
            System.out.printf("  %s%n", f.summary());
        }
        System.out.printf("  params       %,d (%s)%n", f.params(), Facts.human(f.params()));
        System.out.printf("  MACs         %,d (%s), batch 1%n", f.macs(), Facts.human(f.macs()));
        System.out.printf("  input        %s%n", f.inputShape());
        System.out.printf("  paper        %s%n", f.paper());
        System.out.printf("  official     %s%n", f.officialRepo());
        System.out.printf("  config       %s%n", f.config());
        for (Anchor a : f.anchors()) {
            System.out.printf("  anchor       %s %s = %.4f (%s)%n", a.dataset(), a.metric(), a.value(), a.source());
        }
        for (Measured m : f.measured()) {
            System.out.printf("  measured     %s %s: %s; anchor %s; wall %s; reproduce: %s%n", m.dataset(), m.metric(),
                    m.ours(), m.anchor(), m.wall(), m.command());
        }
        if (!f.macsUncounted().isEmpty()) {
            System.out.printf("  MACs exclude %s: no MAC rule%n", String.join(", ", f.macsUncounted()));
        }
        return 0;
    }
}
