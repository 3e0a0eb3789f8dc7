package io.github.mlpzoo.vision.data;

import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.zoo.Zoo;

import java.nio.file.Paths;
import java.util.Map;

/**
 * Runs one Fashion-MNIST training from the test class path, as {@code zoo train} would:
 * {@code java ... TrainFashionMnist <variant> <outDir> [epochs] [seed]}. Used to produce the README's table without
 * building the CLI module.
 */
public final class TrainFashionMnist {

    private TrainFashionMnist() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: TrainFashionMnist <variant> <outDir> [epochs] [seed]");
        }
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Report r = new FashionMnistTask().train(Zoo.variant(args[0]), Map.of(),
                new TrainOptions(null, epochs, seed, Paths.get(args[1]), false));
        System.out.println(r.summary());
        System.out.println(r.toJson());
    }
}
