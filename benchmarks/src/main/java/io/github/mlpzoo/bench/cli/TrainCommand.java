package io.github.mlpzoo.bench.cli;

import io.github.mlpzoo.bench.jmh.Workload;
import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.Tasks;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.tabular.data.XGBoostBaseline;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code zoo train NAME --dataset D}: trains a variant under the dataset's protocol, then prints our test
 * figure beside the published one and writes {@code report.json}, {@code history.json}, the learning
 * curves ({@code curves.png}) and the best model's directory ({@code model/}) into {@code --out}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a variant on a real dataset and compare with the paper.")
public final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Variant name (see zoo list).")
    String name;

    @Option(names = "--dataset", required = true, paramLabel = "D", description = "Dataset/task name, e.g. california.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory holding the dataset's files (default: the copy embedded in the project).")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs (default: the protocol's).")
    int epochs;

    @Option(names = "--seed", paramLabel = "S", description = "Run seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/NAME-D-sSEED).")
    Path out;

    @Option(names = "--set", paramLabel = "key=value", description = "Config override; repeatable.")
    List<String> sets;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch intra-op threads (and XGBoost's nthread); default: -Dzoo.threads, else PyTorch's (all cores; XGBoost 1). "
                    + "Give 1 to each of two runs sharing a 2-core machine: oversubscribed threads slow both many times.")
    int threads;

    @Option(names = "--no-progress", description = "Don't draw the progress bar.")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (threads != 0) {
            if (threads < 0) {
                throw new IllegalArgumentException("--threads must be >= 1; got " + threads);
            }
            System.setProperty(Engines.THREADS_PROPERTY, Integer.toString(threads));
            Workload.pinThreads(threads);
        }
        if (XGBoostBaseline.NAME.equals(name)) {
            // the gradient-boosting baseline: not a registered variant (no DJL block), same tasks and splits
            if (sets != null && !sets.isEmpty()) {
                throw new IllegalArgumentException("xgboost takes no --set overrides; its hyper-parameters are fixed");
            }
            Path dir = out != null ? out : Path.of("runs", name + "-" + dataset + "-s" + seed);
            Report report = XGBoostBaseline.train(dataset, new TrainOptions(data, epochs, seed, dir, false));
            System.out.println(report.summary());
            System.out.printf("wall %.1f s; wrote %s%n", report.wallSeconds(), dir.toAbsolutePath().normalize());
            return 0;
        }
        Variant<?> variant = Zoo.variant(name);
        Map<String, String> overrides = SetOptions.parse(sets);
        variant.config(overrides); // validate before any data is read
        ZooTask task = Tasks.get(dataset, variant);
        if (data != null && !Files.isDirectory(data)) {
            throw new IllegalArgumentException("dataset path does not exist or is not a directory: " + data);
        }
        Path dir = out != null ? out : Path.of("runs", name + "-" + dataset + "-s" + seed);
        Files.createDirectories(dir);
        TrainOptions options = new TrainOptions(data, epochs, seed, dir, !noProgress);
        Report report = task.train(variant, overrides, options);
        Path historyFile = dir.resolve("history.json");
        if (Files.exists(historyFile)) {
            Plots.learningCurves(History.load(historyFile), name + " on " + dataset, dir.resolve("curves.png"));
        }
        report.save(dir.resolve("report.json"));
        System.out.println(report.summary());
        System.out.printf("wall %.1f s; wrote %s%n", report.wallSeconds(), dir.toAbsolutePath().normalize());
        return 0;
    }
}
