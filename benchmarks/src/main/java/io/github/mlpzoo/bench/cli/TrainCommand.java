package io.github.mlpzoo.bench.cli;

import ai.djl.util.JsonUtils;

import io.github.mlpzoo.bench.jmh.Workload;
import io.github.mlpzoo.core.AtomicFiles;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code zoo train NAME --dataset D}: trains a variant under the dataset's protocol, then prints our test
 * figure beside the published one and writes {@code report.json}, {@code history.json}, the learning
 * curves ({@code curves.png}) and the best model's directory ({@code model/}) into {@code --out}. With
 * {@code --seeds 0,1,2} it runs once per seed and reports the mean and standard deviation ({@code summary.json}),
 * the form the issues' multi-seed targets take.
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

    @Option(names = "--recipe", paramLabel = "key=value",
            description = "Training-recipe override where the dataset's task allows one (fashion_mnist: lr, weightDecay, "
                    + "batchSize, warmupEpochs, labelSmoothing, mixup, ema); repeatable.")
    List<String> recipe;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch intra-op threads (and XGBoost's nthread); default: -Dzoo.threads, else PyTorch's (all cores; XGBoost 1). "
                    + "Give 1 to each of two runs sharing a 2-core machine: oversubscribed threads slow both many times.")
    int threads;

    @Option(names = "--no-progress", description = "Don't draw the progress bar.")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Option(names = "--seeds", paramLabel = "S,S,...", split = ",",
            description = "Run once per seed, one after another (instead of --seed), into DIR/s<S> (DIR: --out, "
                    + "default runs/NAME-D), then print the mean and sample standard deviation and write "
                    + "DIR/summary.json.")
    List<Long> seeds;

    @Override
    public Integer call() throws Exception {
        if (threads != 0) {
            if (threads < 0) {
                throw new IllegalArgumentException("--threads must be >= 1; got " + threads);
            }
            System.setProperty(Engines.THREADS_PROPERTY, Integer.toString(threads));
            Workload.pinThreads(threads);
        }
        if (seeds == null || seeds.isEmpty()) {
            Path dir = out != null ? out : Path.of("runs", name + "-" + dataset + "-s" + seed);
            runOne(seed, dir);
            return 0;
        }
        if (seed != 0) {
            throw new IllegalArgumentException("give --seed or --seeds, not both");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("--seeds repeats a seed: " + seeds);
        }
        Path root = out != null ? out : Path.of("runs", name + "-" + dataset);
        List<Report> reports = new ArrayList<>();
        for (long s : seeds) {
            reports.add(runOne(s, root.resolve("s" + s)));
        }
        SeedSummary summary = SeedSummary.of(seeds, reports);
        Files.createDirectories(root);
        AtomicFiles.writeString(root.resolve("summary.json"), JsonUtils.GSON_PRETTY.toJson(summary));
        System.out.println(summary.line());
        System.out.printf("wrote %s%n", root.resolve("summary.json").toAbsolutePath().normalize());
        return 0;
    }

    /** Trains (or, for {@code xgboost}, fits) one seed into {@code dir} and prints its summary. */
    private Report runOne(long runSeed, Path dir) throws Exception {
        Report report;
        if (XGBoostBaseline.NAME.equals(name)) {
            // the gradient-boosting baseline: not a registered variant (no DJL block), same tasks and splits
            if (sets != null && !sets.isEmpty() || recipe != null && !recipe.isEmpty()) {
                throw new IllegalArgumentException("xgboost takes no --set or --recipe overrides; its hyper-parameters "
                        + "are fixed");
            }
            report = XGBoostBaseline.train(dataset, new TrainOptions(data, epochs, runSeed, dir, false));
        } else {
            Variant<?> variant = Zoo.variant(name);
            Map<String, String> overrides = SetOptions.parse(sets);
            variant.config(overrides); // validate before any data is read
            ZooTask task = Tasks.get(dataset, variant);
            Map<String, String> recipeOverrides = SetOptions.parse(recipe, "--recipe");
            task.checkRecipe(recipeOverrides);
            if (data != null && !Files.isDirectory(data)) {
                throw new IllegalArgumentException("dataset path does not exist or is not a directory: " + data);
            }
            Files.createDirectories(dir);
            report = task.train(variant, overrides,
                    new TrainOptions(data, epochs, runSeed, dir, !noProgress, recipeOverrides));
            Path historyFile = dir.resolve("history.json");
            if (Files.exists(historyFile)) {
                Plots.learningCurves(History.load(historyFile), name + " on " + dataset, dir.resolve("curves.png"));
            }
            report.save(dir.resolve("report.json"));
        }
        System.out.println(report.summary());
        System.out.printf("wall %.1f s; wrote %s%n", report.wallSeconds(), dir.toAbsolutePath().normalize());
        return report;
    }

    /**
     * The figures of a multi-seed run ({@code summary.json}).
     *
     * @param model the variant
     * @param dataset the task
     * @param metric the test metric
     * @param seeds the seeds, in run order
     * @param values the test figure of each seed
     * @param mean their mean
     * @param std their sample standard deviation (0 for one seed)
     * @param wallSeconds the wall time of each seed's run
     */
    record SeedSummary(String model, String dataset, String metric, List<Long> seeds, double[] values, double mean,
            double std, double[] wallSeconds) {

        static SeedSummary of(List<Long> seeds, List<Report> reports) {
            double[] v = reports.stream().mapToDouble(Report::value).toArray();
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
            double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
            Report first = reports.get(0);
            return new SeedSummary(first.model(), first.dataset(), first.metric(), List.copyOf(seeds), v, mean, std,
                    reports.stream().mapToDouble(Report::wallSeconds).toArray());
        }

        /** One console line: mean ± std over the seeds, then each seed's figure. */
        String line() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s on %s: test %s = %.4f ± %.4f (mean ± sd of %d seeds:",
                    model, dataset, metric, mean, std, values.length));
            for (int i = 0; i < values.length; i++) {
                b.append(String.format(Locale.ROOT, " s%d %.4f", seeds.get(i), values[i]));
            }
            return b.append(')').toString();
        }
    }
}
