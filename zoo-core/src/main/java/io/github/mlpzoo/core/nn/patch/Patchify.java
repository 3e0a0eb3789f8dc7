package io.github.mlpzoo.core.nn.patch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Cuts a multivariate series into patches (PatchTST, Nie et al., ICLR 2023, §3.1; HF
 * {@code modeling_patchtsmixer.py}, {@code PatchTSMixerPatchify}): with context length T, patch length P and
 * stride S there are {@code N = (T - P) / S + 1} patches, patch i covering time steps {@code [i·S, i·S + P)}.
 * <pre>
 *   (B, T, C)  →  (B, C, N, P),   out[b, c, i, p] = x[b, i·S + p, c]
 * </pre>
 * This is torch's {@code unfold(-2, P, S)} followed by a transpose. Unlike HF, which silently drops the oldest
 * {@code (T - P) mod S} steps, this block requires the patches to tile the context exactly and says so otherwise.
 * No parameters.
 */
public final class Patchify extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int contextLength;
    private final int length;
    private final int stride;
    private final int numPatches;

    /**
     * Patches of {@code length} every {@code stride} steps over a context of {@code contextLength} steps.
     *
     * @throws IllegalArgumentException if the patches do not tile the context exactly
     */
    public Patchify(int contextLength, int length, int stride) {
        super(VERSION);
        numPatches = numPatches(contextLength, length, stride);
        this.contextLength = contextLength;
        this.length = length;
        this.stride = stride;
    }

    /**
     * The number of patches {@code (T - P) / S + 1}.
     *
     * @throws IllegalArgumentException if {@code T <= P}, a size is below 1, or {@code (T - P)} is not a multiple
     *     of S
     */
    public static int numPatches(int contextLength, int length, int stride) {
        if (length < 1 || stride < 1) {
            throw new IllegalArgumentException(
                    "patch length and stride must be >= 1; got length " + length + ", stride " + stride);
        }
        if (contextLength <= length) {
            throw new IllegalArgumentException("context length " + contextLength
                    + " must be greater than the patch length " + length);
        }
        int rest = (contextLength - length) % stride;
        if (rest != 0) {
            throw new IllegalArgumentException(String.format(
                    "context length %d does not divide into patches of length %d with stride %d: (%d - %d) mod %d"
                            + " = %d steps would be left over (HF drops them silently); use a context length of %d"
                            + " or %d", contextLength, length, stride, contextLength, length, stride, rest,
                    contextLength - rest, contextLength - rest + stride));
        }
        return (contextLength - length) / stride + 1;
    }

    /** N, the number of patches. */
    public int numPatches() {
        return numPatches;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("Patchify", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        long b = x.getShape().get(0);
        long c = x.getShape().get(2);
        NDArray patches; // (B, N, P, C)
        if (stride == length) {
            patches = x.reshape(b, numPatches, length, c);
        } else {
            NDArray[] windows = new NDArray[numPatches];
            for (int i = 0; i < numPatches; i++) {
                windows[i] = x.get(new NDIndex(":, {}:{}, :", i * stride, i * stride + length));
            }
            patches = NDArrays.stack(new NDList(windows), 1);
        }
        return new NDList(patches.transpose(0, 3, 1, 2)); // (B, C, N, P)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        return new Shape[] {new Shape(s.get(0), s.get(2), numPatches, length)};
    }

    private void check(Shape s) {
        InputCheck.shape("Patchify", "input (B, T, C)", s, InputCheck.ANY, contextLength, InputCheck.ANY);
    }

    @Override
    public String toString() {
        return "Patchify(T=" + contextLength + ", P=" + length + ", S=" + stride + ", N=" + numPatches + ")";
    }
}
