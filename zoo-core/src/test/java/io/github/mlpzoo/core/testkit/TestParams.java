package io.github.mlpzoo.core.testkit;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parameter helpers for tests: a block's {@code saveParameters} stream as bytes and loading it into another block;
 * a model's parameter values as a snapshot, and comparing two snapshots.
 */
public final class TestParams {

    private TestParams() {}

    /** What {@code block.saveParameters} writes; the block must be initialized. */
    public static byte[] save(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            block.saveParameters(os);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code block.loadParameters} from {@code bytes}, the arrays on {@code manager}. */
    public static void load(Block block, NDManager manager, byte[] bytes) throws IOException, MalformedModelException {
        try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, is);
        }
    }

    /** The values of every parameter of {@code model}'s block, in order. */
    public static List<float[]> snapshot(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** The array objects of every parameter of {@code model}'s block, in order (compare them with {@code ==}). */
    public static List<NDArray> arrays(Model model) {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray());
        }
        return out;
    }

    /** Whether two snapshots hold the same parameters, bit for bit. */
    public static boolean same(List<float[]> a, List<float[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
