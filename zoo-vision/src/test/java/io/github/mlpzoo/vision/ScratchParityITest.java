package io.github.mlpzoo.vision;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.weights.Weights;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

class ScratchParityITest {
    @Test
    void parity() throws Exception {
        Engines.configureOffline();
        for (String name : System.getProperty("goldens", "strip_mlp_t_light").split(",")) {
            Path dir = Paths.get(System.getProperty("zoo.testdata"), "golden", name);
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(dir.resolve("config.properties"))) {
                p.load(r);
            }
            Map<String, String> o = new LinkedHashMap<>();
            p.stringPropertyNames().forEach(k -> o.put(k, p.getProperty(k).trim()));
            try (Model model = Weights.loadVariant(name, o, dir.resolve("weights.safetensors"));
                    NDManager m = model.getNDManager().newSubManager()) {
                NDList y = Weights.predict(model, Weights.readArrays(dir.resolve("input.npy"), m));
                NDArray want = Weights.readArrays(dir.resolve("output.npy"), m).singletonOrThrow();
                double err = y.singletonOrThrow().sub(want).abs().max().getFloat();
                System.out.println("PARITY " + name + " max abs err " + err);
            }
        }
    }
}
