package io.github.mlpzoo.bench.cli;

import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.Tasks;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code zoo eval NAME --model-dir DIR --dataset D}: the test metric of a saved model directory. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a saved model directory.")
public final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Variant name (see zoo list).")
    String name;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "A model directory (zoo train's out/model).")
    Path modelDir;

    @Option(names = "--dataset", required = true, paramLabel = "D", description = "Dataset/task name, e.g. california.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the dataset's files.")
    Path data;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Variant<?> variant = Zoo.variant(name);
        ZooTask task = Tasks.get(dataset, variant);
        Path props = modelDir.resolve("serving.properties");
        if (!Files.isRegularFile(props)) {
            throw new IllegalArgumentException("not a model directory (no serving.properties): " + modelDir);
        }
        String saved = savedVariant(props);
        if (!name.equals(saved)) {
            throw new IllegalArgumentException(modelDir + " holds variant '" + saved + "', not '" + name + "'");
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(modelDir)
                .optEngine("PyTorch")
                .build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            Report report = task.evaluate(variant, model, new TrainOptions(data, 0, 0, null, false));
            System.out.println(report.summary());
        }
        return 0;
    }

    private static String savedVariant(Path props) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(props)) {
            p.load(r);
        }
        return p.getProperty("variant", "(none)");
    }
}
