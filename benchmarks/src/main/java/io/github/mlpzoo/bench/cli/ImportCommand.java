package io.github.mlpzoo.bench.cli;

import io.github.mlpzoo.core.weights.Weights;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code zoo import NAME --weights FILE --out DIR [--set key=value]...}: builds the variant, loads the
 * official checkpoint strictly through the variant's key map ({@link Weights#importVariant}), and writes a
 * DJL model directory that {@code Criteria.builder().optModelPath(DIR)} loads.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import official PyTorch weights (.pth/.pt/.bin zip, .safetensors, .npz) into a variant"
                + " and save a DJL model directory.")
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Variant name (see zoo list).")
    String name;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "Official checkpoint with the official state_dict names.")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--set", paramLabel = "key=value",
            description = "Config override, to match the checkpoint's config; repeatable.")
    List<String> sets;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = SetOptions.parse(sets);
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("--weights: no such file: " + weights);
        }
        Weights.importVariant(name, overrides, weights, out);
        System.out.println("imported " + weights + " into " + name + "; model directory " + out
                + " (load with Criteria.builder().optModelPath(dir))");
        return 0;
    }
}
