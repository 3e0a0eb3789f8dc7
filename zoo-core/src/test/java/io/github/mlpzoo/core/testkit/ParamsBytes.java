package io.github.mlpzoo.core.testkit;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A block's {@code saveParameters} stream as bytes, and loading such bytes into another block. */
public final class ParamsBytes {

    private ParamsBytes() {}

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
}
