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
 * {@code zoo parity NAME --weights FILE --input X.npy --output Y.npy [--set key=value]...}: loads official
 * weights into the variant strictly, runs it in inference mode on X and writes Y
 * ({@link Weights#parity}); the hook golden tests and outside checks use.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Run a variant with official weights in inference mode on X.npy and write Y.npy.")
public final class ParityCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Variant name (see zoo list).")
    String name;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "Official checkpoint (.pth/.pt/.bin zip, .safetensors, .npz) with official names.")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "X.npy",
            description = "Input array (.npy), or several inputs in order (.npz).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y.npy",
            description = "Where to write the output (.npy; .npz for several outputs).")
    Path output;

    @Option(names = "--set", paramLabel = "key=value",
            description = "Config override, to match the checkpoint's config; repeatable.")
    List<String> sets;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = SetOptions.parse(sets);
        for (Path p : new Path[] {weights, input}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such file: " + p);
            }
        }
        Weights.parity(name, overrides, weights, input, output);
        System.out.println("wrote " + output);
        return 0;
    }
}
