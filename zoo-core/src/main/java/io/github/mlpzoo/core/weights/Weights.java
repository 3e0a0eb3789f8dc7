package io.github.mlpzoo.core.weights;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.mlpzoo.core.AtomicFiles;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads official weights into our blocks, strictly, and runs the checks built on that: importing a variant
 * into a DJL model directory, and running it on saved inputs (golden parity, {@code zoo parity}).
 *
 * <p>{@link #load} maps every official name through the model's {@link KeyMap} and validates all of them
 * before touching the block: names no rule maps (or that map to no parameter), block parameters no name
 * maps to, two names for one parameter, and shape or type mismatches are listed together in one
 * {@link IllegalArgumentException}, and the block keeps its values. Only when everything fits are the
 * tensors copied. BatchNorm running statistics are parameters in DJL ({@code runningMean},
 * {@code runningVar}) and load like any other; {@code num_batches_tracked} is ignored.
 */
public final class Weights {

    /** How many problems of one kind an error lists before summarizing the rest. */
    private static final int MAX_LISTED = 25;

    private Weights() {}

    /**
     * Copies {@code stateDict} (official names) into the parameters of the initialized {@code block}
     * through {@code keyMap}. Floating-point tensors of another precision are converted to the
     * parameter's type.
     *
     * @throws IllegalArgumentException listing every missing, unexpected, duplicated and mis-shaped key;
     *     the block is then unchanged
     * @throws IllegalStateException if the block is not initialized
     */
    public static void load(Block block, Map<String, NDArray> stateDict, KeyMap keyMap) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " of " + name(block)
                        + " is not initialized; initialize the block with its input shapes before loading");
            }
            params.put(p.getKey(), p.getValue());
        }
        List<String> unexpected = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        Map<String, String> claimed = new LinkedHashMap<>();
        List<Pair<Parameter, NDArray>> copies = new ArrayList<>();
        List<NDArray> transformed = new ArrayList<>();
        try {
            for (Map.Entry<String, NDArray> e : stateDict.entrySet()) {
                String key = e.getKey();
                KeyMap.Target t = keyMap.target(key);
                if (t == KeyMap.IGNORED) {
                    continue;
                }
                if (t == null) {
                    unexpected.add(key + " (no key-map rule matches it)");
                    continue;
                }
                Parameter p = params.get(t.path());
                if (p == null) {
                    unexpected.add(key + " -> " + t.path() + " (the block has no such parameter)");
                    continue;
                }
                String before = claimed.putIfAbsent(t.path(), key);
                if (before != null) {
                    unexpected.add(key + " -> " + t.path() + " (already loaded from " + before + ")");
                    continue;
                }
                NDArray value = e.getValue();
                if (t.transform() != null) {
                    try {
                        value = t.transform().apply(value);
                        transformed.add(value);
                    } catch (RuntimeException ex) {
                        misshaped.add(key + " -> " + t.path() + ": the key map's transform failed on "
                                + e.getValue().getShape() + ": " + ex.getMessage());
                        continue;
                    }
                }
                NDArray target = p.getArray();
                Shape want = target.getShape();
                if (!value.getShape().equals(want)) {
                    misshaped.add(key + " -> " + t.path() + ": checkpoint has " + value.getShape()
                            + ", the block expects " + want);
                } else if (value.getDataType() != target.getDataType()
                        && !(value.getDataType().isFloating() && target.getDataType().isFloating())) {
                    misshaped.add(key + " -> " + t.path() + ": checkpoint has type " + value.getDataType()
                            + ", the block expects " + target.getDataType());
                } else {
                    copies.add(new Pair<>(p, value));
                }
            }
            List<String> missing = new ArrayList<>();
            for (String path : params.keySet()) {
                if (!claimed.containsKey(path)) {
                    missing.add(path);
                }
            }
            if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
                StringBuilder sb = new StringBuilder("cannot load ").append(stateDict.size())
                        .append(" checkpoint tensors into ").append(name(block)).append(": ")
                        .append(missing.size()).append(" missing, ").append(unexpected.size())
                        .append(" unexpected, ").append(misshaped.size())
                        .append(" mis-shaped; the block was left unchanged");
                list(sb, "missing (block parameters no checkpoint key maps to)", missing);
                list(sb, "unexpected (checkpoint keys that fit no parameter)", unexpected);
                list(sb, "mis-shaped", misshaped);
                throw new IllegalArgumentException(sb.toString());
            }
            for (Pair<Parameter, NDArray> c : copies) {
                NDArray target = c.getKey().getArray();
                NDArray value = c.getValue();
                if (value.getDataType() != target.getDataType()) {
                    NDArray cast = value.toType(target.getDataType(), false);
                    transformed.add(cast);
                    value = cast;
                }
                target.set(value.toByteBuffer());
            }
        } finally {
            for (NDArray a : transformed) {
                if (stateDict.values().stream().noneMatch(v -> v == a)) {
                    a.close();
                }
            }
        }
    }

    /**
     * Builds variant {@code name} with {@code overrides}, initializes it, and loads the checkpoint
     * {@code weights} (any format {@link StateDict#read} accepts) strictly through the variant's key map.
     * The caller closes the model.
     *
     * @throws IllegalArgumentException if the variant declares no key map or the weights do not fit
     */
    public static Model loadVariant(String name, Map<String, String> overrides, Path weights)
            throws IOException {
        Variant<?> variant = Zoo.variant(name);
        KeyMap keyMap = variant.keyMap(overrides).orElseThrow(() -> new IllegalArgumentException(
                "variant " + name + " declares no key map, so official weights cannot be imported into it"));
        Model model = Zoo.newModel(name, overrides, 0);
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            Map<String, NDArray> stateDict = StateDict.read(weights, scratch);
            try {
                load(model.getBlock(), stateDict, keyMap);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(weights + " does not fit " + name + ": " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Loads {@code weights} into variant {@code name} (see {@link #loadVariant}) and saves it as a DJL model
     * directory {@code outDir} that {@code Criteria.builder().optModelPath(outDir)} loads.
     */
    public static void importVariant(String name, Map<String, String> overrides, Path weights, Path outDir)
            throws IOException {
        try (Model model = loadVariant(name, overrides, weights)) {
            Zoo.save(model, name, overrides, outDir);
        }
    }

    /** Runs {@code model}'s block in inference mode on {@code inputs}; outputs live on the inputs' manager. */
    public static NDList predict(Model model, NDList inputs) {
        return model.getBlock().forward(new ParameterStore(model.getNDManager(), false), inputs, false);
    }

    /**
     * Loads {@code weights} into variant {@code name}, runs it in inference mode on the arrays of
     * {@code input} ({@code .npy}, or {@code .npz} for several inputs, in order) and writes the outputs to
     * {@code output} ({@code .npy} for one output, {@code .npz} otherwise).
     */
    public static void parity(String name, Map<String, String> overrides, Path weights, Path input,
            Path output) throws IOException {
        try (Model model = loadVariant(name, overrides, weights);
                NDManager scratch = model.getNDManager().newSubManager()) {
            NDList y = predict(model, readArrays(input, scratch));
            writeArrays(y, output);
        }
    }

    /**
     * The arrays of a {@code .npy} (one) or {@code .npz} (several, in file order, named after their members) file,
     * on {@code manager}. Headers and the total size ({@code -Dzoo.maxWeightBytes}) are checked before anything
     * is allocated.
     */
    public static NDList readArrays(Path file, NDManager manager) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(2);
        }
        try {
            if (head.length == 2 && head[0] == 'P' && head[1] == 'K') {
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    for (ZipEntry e : Collections.list(zip.entries())) {
                        if (!e.getName().endsWith(".npy")) {
                            throw new IOException("member " + e.getName() + " is not an .npy array");
                        }
                    }
                    return new NDList(Npz.read(zip, manager).values());
                }
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                NDArray a = Npz.readNpy(file.getFileName().toString(), in, Files.size(file), manager);
                return new NDList(a);
            }
        } catch (IOException e) {
            throw new IOException(file + ": not a readable .npy or .npz (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Writes {@code arrays} to {@code file}: a single array as {@code .npy}, several as {@code .npz}
     * (members named after the arrays, or {@code arr_i}). Written to a temporary file, then moved.
     */
    public static void writeArrays(NDList arrays, Path file) throws IOException {
        boolean npy = file.getFileName().toString().endsWith(".npy");
        if (npy && arrays.size() != 1) {
            throw new IllegalArgumentException("cannot write " + arrays.size() + " arrays to the .npy file " + file
                    + "; use an .npz name");
        }
        AtomicFiles.write(file, out -> {
            if (npy) {
                writeNpy(arrays.get(0), out);
            } else {
                arrays.encode(out, NDList.Encoding.NPZ);
            }
        });
    }

    /** numpy's .npy format, version 1.0, C order. */
    static void writeNpy(NDArray array, OutputStream out) throws IOException {
        DataType type = array.getDataType();
        long[] shape = array.getShape().getShape();
        StringBuilder dims = new StringBuilder();
        for (long s : shape) {
            dims.append(s).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String header = "{'descr': '" + type.asNumpy() + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        ByteBuffer prefix = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length());
        out.write(prefix.array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(array.toByteArray());
    }

    private static String name(Block block) {
        return block.getClass().getSimpleName();
    }

    private static void list(StringBuilder sb, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(title).append(":");
        for (int i = 0; i < Math.min(items.size(), MAX_LISTED); i++) {
            sb.append("\n    ").append(items.get(i));
        }
        if (items.size() > MAX_LISTED) {
            sb.append("\n    ... and ").append(items.size() - MAX_LISTED).append(" more");
        }
    }
}
