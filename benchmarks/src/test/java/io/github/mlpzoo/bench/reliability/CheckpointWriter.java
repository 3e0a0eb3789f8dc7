package io.github.mlpzoo.bench.reliability;

import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.mlpzoo.core.zoo.Zoo;

import java.nio.file.Path;
import java.util.Map;

/**
 * Child process of {@link CheckpointKillTest}: saves generation 1, 2, 3, ... of a model whose every
 * parameter equals the generation number, to one directory with {@link Zoo#save}, printing "saved g" after
 * each, until it is killed.
 */
public final class CheckpointWriter {

    static final Map<String, String> CONFIG = Map.of("nBlocks", "4", "dBlock", "512");

    private CheckpointWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (Model model = Zoo.newModel("mlp", CONFIG, 1)) {
            for (int g = 1; ; g++) {
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    p.getValue().getArray().muli(0).addi(g);
                }
                Zoo.save(model, "mlp", CONFIG, dir);
                System.out.println("saved " + g);
                System.out.flush();
            }
        }
    }
}
