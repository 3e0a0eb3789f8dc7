package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.mixer.MixerMlp;

/**
 * The token-mixing MLP of MLP-Mixer (Tolstikhin et al., NeurIPS 2021, §2, eq. 1; timm
 * {@code models/mlp_mixer.py}, {@code MixerBlock.mlp_tokens}): one MLP shared by all channels, applied across the
 * tokens of each channel:
 * <pre>
 *   y = (W2 · GELU(W1 · xᵀ + b1) + b2)ᵀ,   W1: (h, N), W2: (N, h)
 * </pre>
 * Shapes: input {@code (B, N, C)} with N tokens and C channels; output the same. (N and C are fixed: the weights
 * have N rows, and C is checked so that a wrong input is refused before any native op.) The MLP is
 * {@link MixerMlp}(N → h → N, exact GELU) on the transposed input, so the parameters are {@code 01mlp_01fc1_*} and
 * {@code 01mlp_02fc2_*} (official {@code mlp_tokens.fc1.*}, {@code mlp_tokens.fc2.*}).
 */
public final class TokenMixingMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int tokens;
    private final int channels;
    private final int hidden;
    private final MixerMlp mlp;

    /**
     * Mixes {@code tokens} tokens of {@code channels} channels through a hidden layer of {@code hidden}.
     *
     * @param dropout the rate of the MLP's two dropouts, in [0, 1)
     */
    public TokenMixingMlp(int tokens, int channels, int hidden, float dropout) {
        super(VERSION);
        if (channels < 1) {
            throw new IllegalArgumentException("TokenMixingMlp channels must be >= 1; got " + channels);
        }
        this.tokens = tokens;
        this.channels = channels;
        this.hidden = hidden;
        mlp = addChildBlock("mlp", new MixerMlp(tokens, hidden, tokens, dropout, MixerMlp.Act.GELU));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("TokenMixingMlp", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        Shape s = x.getShape();
        // made contiguous: on a strided view PyTorch's matmul picks its kernel by whether the weight requires a
        // gradient, so training-mode and loaded weights would differ in the last bit
        NDArray t = x.transpose(0, 2, 1).flatten().reshape(s.get(0), channels, tokens); // (B, C, N)
        t = mlp.forward(ps, new NDList(t), training).singletonOrThrow();
        return new NDList(t.transpose(0, 2, 1)); // (B, N, C)
    }

    private void check(Shape s) {
        InputCheck.shape("TokenMixingMlp", "input (B, N, C)", s, InputCheck.ANY, tokens, channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        mlp.initialize(manager, dataType, new Shape(s.get(0), channels, tokens));
    }

    @Override
    public String toString() {
        return "TokenMixingMlp(" + tokens + " -> " + hidden + " -> " + tokens + ")";
    }
}
