package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns raw storage bytes into a contiguous NDArray: a (possibly strided, offset) view of a storage, as
 * torch describes a tensor ({@code storage_offset}, {@code size}, {@code stride}, all in elements), is
 * gathered in row-major order, F16/BF16 are widened to FP32, and every bound is checked before anything
 * is allocated.
 */
final class Tensors {

    /** Largest tensor read, in bytes after widening (Java buffers are int-indexed). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64L;

    /**
     * Largest sum of tensor bytes one weights file may declare, from system property {@code zoo.maxWeightBytes}
     * (default 8 GiB, far above any variant of the zoo): a zip bomb or a forged header is refused before
     * anything is allocated.
     */
    static long maxTotalBytes() {
        return Long.getLong("zoo.maxWeightBytes", 8L << 30);
    }

    private Tensors() {}

    /**
     * Adds {@code bytes} (of {@code what}) to {@code total}, refusing a sum over {@link #maxTotalBytes()}.
     *
     * @return the new total
     */
    static long addTotal(String what, long total, long bytes) throws IOException {
        long max = maxTotalBytes();
        long sum = total + bytes;
        if (bytes < 0 || sum < 0 || sum > max) {
            throw new IOException(what + " brings the tensors declared so far to " + (bytes < 0 || sum < 0
                    ? "more than 2^63" : Long.toString(sum)) + " bytes; at most " + max
                    + " accepted (zip bomb or forged header?); raise -Dzoo.maxWeightBytes for a larger file");
        }
        return sum;
    }

    /** Row-major (C-contiguous) strides for {@code size}. */
    static long[] contiguousStrides(long[] size) {
        long[] stride = new long[size.length];
        long s = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= Math.max(1, size[i]);
        }
        return stride;
    }

    /**
     * The number of elements of a tensor of {@code size}, refusing negative sizes and anything over
     * {@link #MAX_BYTES} once widened.
     */
    static long numel(String name, long[] size, Dtype dtype) throws IOException {
        long n = 1;
        for (long s : size) {
            if (s < 0) {
                throw new IOException(name + ": negative size in shape " + Arrays.toString(size));
            }
            try {
                n = Math.multiplyExact(n, s);
            } catch (ArithmeticException e) {
                throw new IOException(name + ": shape " + Arrays.toString(size) + " overflows a long", e);
            }
        }
        if (n > MAX_BYTES / dtype.djl.getNumOfBytes()) {
            throw new IOException(name + ": shape " + Arrays.toString(size) + " claims " + n
                    + " elements; at most " + MAX_BYTES / dtype.djl.getNumOfBytes() + " of " + dtype
                    + " can be read");
        }
        return n;
    }

    /**
     * Checks that the view ({@code offset}, {@code size}, {@code stride}) stays inside a storage of
     * {@code storageNumel} elements and returns its element count.
     */
    static long checkView(String name, Dtype dtype, long storageNumel, long offset, long[] size, long[] stride)
            throws IOException {
        if (size.length != stride.length) {
            throw new IOException(name + ": size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        long n = numel(name, size, dtype);
        if (offset < 0) {
            throw new IOException(name + ": negative storage offset " + offset);
        }
        if (n == 0) {
            return 0;
        }
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            if (stride[i] < 0) {
                throw new IOException(name + ": negative stride " + Arrays.toString(stride));
            }
            try {
                last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            } catch (ArithmeticException e) {
                throw new IOException(name + ": stride " + Arrays.toString(stride) + " overflows", e);
            }
        }
        if (last >= storageNumel) {
            throw new IOException(name + ": view (offset " + offset + ", size " + Arrays.toString(size)
                    + ", stride " + Arrays.toString(stride) + ") reads element " + last
                    + " of a storage holding " + storageNumel);
        }
        return n;
    }

    /**
     * Gathers the view of {@code storage} (elements of {@code dtype} in the buffer's byte order) into a new
     * contiguous array on {@code manager}, named {@code name}. The view must have passed
     * {@link #checkView}.
     */
    static NDArray create(NDManager manager, String name, ByteBuffer storage, Dtype dtype, long offset,
            long[] size, long[] stride) {
        int n = 1;
        for (long s : size) {
            n *= (int) s;
        }
        int outBytes = dtype.djl.getNumOfBytes();
        ByteBuffer dst = manager.allocateDirect(n * outBytes).order(ByteOrder.nativeOrder());
        boolean contiguous = Arrays.equals(dropUnit(size, stride), dropUnit(size, contiguousStrides(size)));
        if (n > 0 && contiguous && dtype.bytes == outBytes && storage.order() == ByteOrder.nativeOrder()) {
            ByteBuffer src = storage.duplicate();
            src.position((int) (offset * dtype.bytes)).limit((int) ((offset + n) * dtype.bytes));
            dst.put(src);
        } else if (n > 0) {
            gather(storage, dtype, offset, size, stride, n, dst);
        }
        dst.rewind();
        NDArray array = manager.create(dst, new Shape(size), dtype.djl);
        array.setName(name);
        return array;
    }

    /** Strides with size-1 axes zeroed: such axes do not constrain the memory layout. */
    private static long[] dropUnit(long[] size, long[] stride) {
        long[] out = stride.clone();
        for (int i = 0; i < size.length; i++) {
            if (size[i] == 1) {
                out[i] = 0;
            }
        }
        return out;
    }

    private static void gather(ByteBuffer src, Dtype dtype, long offset, long[] size, long[] stride, int n,
            ByteBuffer dst) {
        int rank = size.length;
        long[] index = new long[rank];
        long at = offset;
        for (int i = 0; i < n; i++) {
            put(src, (int) (at * dtype.bytes), dtype, dst);
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                at += stride[d];
                if (index[d] < size[d]) {
                    break;
                }
                at -= stride[d] * size[d];
                index[d] = 0;
            }
        }
    }

    private static void put(ByteBuffer src, int at, Dtype dtype, ByteBuffer dst) {
        switch (dtype) {
            case F32 -> dst.putFloat(src.getFloat(at));
            case F16 -> dst.putFloat(halfToFloat(src.getShort(at)));
            case BF16 -> dst.putFloat(Float.intBitsToFloat((src.getShort(at) & 0xffff) << 16));
            case F64 -> dst.putDouble(src.getDouble(at));
            case I64 -> dst.putLong(src.getLong(at));
            case I32 -> dst.putInt(src.getInt(at));
            case U8, BOOL -> dst.put(src.get(at));
        }
    }

    /** IEEE 754 binary16 to binary32, exact (every half value is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
