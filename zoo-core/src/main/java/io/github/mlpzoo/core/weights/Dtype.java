package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.types.DataType;

/**
 * The element types a checkpoint may hold, with their names in each format and the DJL type they are
 * read as. F16 and BF16 are widened to FP32: DJL's BF16 aborts the JVM on PyTorch, and the zoo runs FP32.
 */
enum Dtype {
    F32(4, DataType.FLOAT32, "FloatStorage", "<f4"),
    F16(2, DataType.FLOAT32, "HalfStorage", "<f2"),
    BF16(2, DataType.FLOAT32, "BFloat16Storage", null),
    F64(8, DataType.FLOAT64, "DoubleStorage", "<f8"),
    I64(8, DataType.INT64, "LongStorage", "<i8"),
    I32(4, DataType.INT32, "IntStorage", "<i4"),
    U8(1, DataType.UINT8, "ByteStorage", "|u1"),
    BOOL(1, DataType.BOOLEAN, "BoolStorage", "|b1");

    /** Bytes per element as stored in the file. */
    final int bytes;
    /** The DJL type the element is read as. */
    final DataType djl;
    /** The storage class name torch.save pickles ({@code torch.<name>}). */
    final String storage;
    /** The numpy descr, or null when numpy has no such type. */
    final String numpy;

    Dtype(int bytes, DataType djl, String storage, String numpy) {
        this.bytes = bytes;
        this.djl = djl;
        this.storage = storage;
        this.numpy = numpy;
    }

    /** The dtype whose storage global is {@code torch.<name>}, or null. */
    static Dtype ofStorage(String qualifiedName) {
        for (Dtype d : values()) {
            if (qualifiedName.equals("torch." + d.storage)) {
                return d;
            }
        }
        return null;
    }

    /** The dtype called {@code name} in a safetensors header ({@code F32}, {@code BF16}, ...), or null. */
    static Dtype ofSafetensors(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The dtype with numpy descr {@code descr} ({@code <f4}, {@code |b1}, ...), or null. */
    static Dtype ofNumpy(String descr) {
        String d = descr.startsWith("=") ? "<" + descr.substring(1) : descr;
        for (Dtype t : values()) {
            if (d.equals(t.numpy) || (t.numpy != null && t.bytes == 1 && d.equals("<" + t.numpy.substring(1)))) {
                return t;
            }
        }
        return null;
    }

    /** Every supported name, for error messages. */
    static String supported() {
        return "F32, F16, BF16, F64, I64, I32, U8, BOOL";
    }
}
