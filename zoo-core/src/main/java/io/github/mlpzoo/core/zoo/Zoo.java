package io.github.mlpzoo.core.zoo;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.mlpzoo.core.AtomicFiles;
import io.github.mlpzoo.core.Engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The registry of every named variant, gathered from the {@link VariantProvider}s on the class path.
 *
 * <pre>{@code
 * Block mlp = Zoo.create("mlp", Map.of("dropout", "0.1"));
 * try (Model model = Zoo.newModel("mlp", Map.of(), 42)) { ... }   // built, initialized, ready to train
 * }</pre>
 */
public final class Zoo {

    /** DJL group id under which the variants are served through {@code Criteria}. */
    public static final String GROUP_ID = "io.github.mlpzoo";

    private static volatile Map<String, Variant<?>> registry;

    private Zoo() {}

    /** Every registered variant, sorted by name. */
    public static List<Variant<?>> list() {
        return List.copyOf(variants().values());
    }

    /** Whether {@code name} is registered. */
    public static boolean contains(String name) {
        return variants().containsKey(name);
    }

    /**
     * The variant called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, suggesting the closest registered names
     */
    public static Variant<?> variant(String name) {
        Variant<?> v = variants().get(name);
        if (v == null) {
            List<String> close = closest(name, 3);
            throw new IllegalArgumentException(
                    "unknown model '" + name + "'"
                            + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
                            + " (zoo list shows all " + variants().size() + ")");
        }
        return v;
    }

    /** A new, uninitialized block of variant {@code name} with {@code overrides} applied. */
    public static Block create(String name, Map<String, String> overrides) {
        return variant(name).create(overrides);
    }

    /**
     * A new model holding variant {@code name}, initialized on the best device with the random seed
     * {@code seed}. The caller closes it.
     *
     * @throws IllegalArgumentException for an invalid config, or one whose parameters would exceed the cap
     *     of system property {@code zoo.maxParameters} (default 1e9), refused before allocating
     */
    public static Model newModel(String name, Map<String, String> overrides, long seed) {
        Engines.configureOffline();
        Variant<?> v = variant(name);
        Block block = v.create(overrides);
        DataDesc[] inputs = v.inputs(overrides);
        Model model = Model.newInstance(name, Engines.bestDevice(), "PyTorch");
        try {
            model.setBlock(block);
            Engine.getEngine("PyTorch").setRandomSeed((int) seed);
            ParameterBudget.initialize(block, name, model.getNDManager(), DataType.FLOAT32, shapes(inputs));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The input shapes of {@code inputs}, in order. */
    public static Shape[] shapes(DataDesc[] inputs) {
        Shape[] out = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = inputs[i].getShape();
        }
        return out;
    }

    /**
     * Saves {@code model} (variant {@code name}, built with {@code overrides}) as a DJL model directory:
     * {@code serving.properties} naming the variant and its config, the parameter file, and
     * {@code params.sha256} (its SHA-256 and size, checked by {@link #load} and by {@code Criteria} loading).
     * The directory loads back with {@link #load} or {@code Criteria.builder().optModelPath(dir)}. Each file is
     * replaced atomically (temp + rename), and the checksum file accepts the old and the new params while they
     * are swapped, so a process killed while saving leaves the previous checkpoint, or the new one, loadable.
     */
    public static void save(Model model, String name, Map<String, String> overrides, Path dir)
            throws IOException {
        Variant<?> v = variant(name);
        Map<String, String> config = Configs.toStrings(v.config(overrides));
        StringBuilder props = new StringBuilder()
                .append("# MLP Zoo model directory: load with Criteria.builder().optModelPath(this dir)\n")
                .append("engine=PyTorch\n")
                .append("blockFactory=").append(VariantBlockFactory.class.getName()).append('\n')
                .append(VariantBlockFactory.VARIANT_KEY).append('=').append(name).append('\n');
        config.forEach((k, val) -> props.append(k).append('=').append(val).append('\n'));
        Path abs = dir.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        String modelName = abs.getFileName().toString();
        // the params go to a sibling temp folder first, then are renamed in: a process killed mid-save leaves
        // the previous checkpoint whole (model.save would write, and number, its file in place)
        Path tmp = Files.createTempDirectory(abs.getParent(), "." + modelName + ".saving-");
        List<String> written = new ArrayList<>();
        List<ParamsFile.Sum> sums = new ArrayList<>();
        try {
            model.save(tmp, modelName);
            List<Path> files;
            try (java.util.stream.Stream<Path> list = Files.list(tmp)) {
                files = list.collect(Collectors.toList());
            }
            for (Path f : files) {
                sums.add(ParamsFile.sum(f));
            }
            // 1. the checksum file accepts the params in place and the new ones, 2. the new ones are renamed in
            List<ParamsFile.Sum> both = new ArrayList<>();
            try {
                for (ParamsFile.Sum s : ParamsFile.readSums(abs)) {
                    if (Files.exists(abs.resolve(s.file()))) {
                        both.add(s);
                    }
                }
            } catch (IOException e) {
                // a spoiled checksum file vouches for nothing: the new params replace what it described
            }
            both.addAll(sums);
            ParamsFile.writeSums(abs, both);
            for (Path f : files) {
                Files.move(f, abs.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                written.add(f.getFileName().toString());
            }
        } finally {
            try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
                for (Path f : left.collect(Collectors.toList())) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
        // older epochs of this name would shadow the new file when DJL loads the latest one
        String epochFile = java.util.regex.Pattern.quote(modelName) + "-\\d{4}\\.params";
        try (java.util.stream.Stream<Path> files = Files.list(abs)) {
            for (Path f : files.collect(Collectors.toList())) {
                String n = f.getFileName().toString();
                if (n.matches(epochFile) && !written.contains(n)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        // 3. the checksum file accepts the new params only
        ParamsFile.writeSums(abs, sums);
        // serving.properties last: a directory that has it is complete
        AtomicFiles.writeString(abs.resolve("serving.properties"), props.toString());
    }

    /**
     * Loads the checkpoint that {@link #save} wrote in {@code dir} into {@code model} (an initialized model,
     * e.g. from {@link #newModel}), all or nothing: the params file is checked against its saved SHA-256 and
     * size, parsed whole into a staging copy of the block named by {@code serving.properties}, and its values
     * are copied in only when every parameter name, shape and type matches the model's. Properties saved with
     * the params (e.g. {@code Epoch}) are set on the model.
     *
     * @throws IOException naming the file and the problem when it is missing, truncated, corrupted or not a
     *     DJL params file; the model is unchanged
     * @throws IllegalArgumentException listing the missing, unexpected and mis-shaped parameters when the
     *     checkpoint holds another variant or config; the model is unchanged
     */
    public static void load(Model model, Path dir) throws IOException {
        ParamsFile.load(model, dir);
    }

    /** Up to {@code n} registered names closest to {@code name} by edit distance (or sharing a prefix). */
    public static List<String> closest(String name, int n) {
        String q = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
        List<String> names = new ArrayList<>(variants().keySet());
        names.sort(Comparator.comparingInt((String s) -> distance(q, s)).thenComparing(s -> s));
        return names.stream()
                .filter(s -> distance(q, s) <= Math.max(3, q.length() / 2) || s.startsWith(q) || q.startsWith(s))
                .limit(n)
                .collect(Collectors.toList());
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Map<String, Variant<?>> variants() {
        Map<String, Variant<?>> r = registry;
        if (r == null) {
            synchronized (Zoo.class) {
                r = registry;
                if (r == null) {
                    r = load();
                    registry = r;
                }
            }
        }
        return r;
    }

    private static Map<String, Variant<?>> load() {
        List<Variant<?>> all = new ArrayList<>();
        for (VariantProvider p : ServiceLoader.load(VariantProvider.class, Zoo.class.getClassLoader())) {
            all.addAll(p.variants());
        }
        all.sort(Comparator.comparing(Variant::name));
        Map<String, Variant<?>> map = new LinkedHashMap<>();
        for (Variant<?> v : all) {
            if (map.put(v.name(), v) != null) {
                throw new IllegalStateException("two variants are registered as '" + v.name() + "'");
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
