package io.github.mlpzoo.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import io.github.mlpzoo.core.testkit.BlockContract;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** The block contract on tiny configs of each family, and the shape errors of the full-size variants. */
class VisionModelsTest {

    static final Map<String, String> TINY_MIXER = Map.of("imageSize", "8", "patchSize", "4", "numBlocks", "2",
            "embedDim", "8", "tokenHidden", "4", "channelHidden", "16", "numClasses", "3", "dropPath", "0.1");
    static final Map<String, String> TINY_GMLP = Map.of("imageSize", "8", "patchSize", "4", "numBlocks", "2",
            "embedDim", "8", "ffnWidth", "16", "numClasses", "3", "dropPath", "0.1");
    static final Map<String, String> TINY_POOLFORMER = Map.of("layers", "1,1,1,1", "embedDims", "4,8,8,8",
            "numClasses", "3", "dropPath", "0.1", "inChannels", "2");

    @Test
    void tinyMixer() {
        BlockContract.ofVariant("mixer_s16", TINY_MIXER).withSteps(10).check();
    }

    @Test
    void tinyGmlp() {
        BlockContract.ofVariant("gmlp_s16", TINY_GMLP).withSteps(10).check();
    }

    @Test
    void tinyPoolFormer() {
        // fully convolutional: any H, W; the declared input is 224×224, so use a small one instead
        BlockContract.of(() -> Zoo.create("poolformer_s12", TINY_POOLFORMER), new Shape(2, 2, 32, 24))
                .withFreeAxes(0, 2, 3).withSteps(10).check();
    }

    @Test
    void wrongImageSizeChannelsOrRankNameTheExpectedShape() {
        Block mixer = Zoo.create("mixer_s16", Map.of());
        assertMessage(mixer, new Shape(1, 3, 200, 224), "MlpMixer expects input (B, C, H, W) (B, 3, 224, 224): axis 2 must be 224");
        assertMessage(mixer, new Shape(1, 1, 224, 224), "axis 1 must be 3");
        assertMessage(mixer, new Shape(3, 224, 224), "rank 4 (B, 3, 224, 224)");
        Block gmlp = Zoo.create("gmlp_ti16", Map.of());
        assertMessage(gmlp, new Shape(1, 3, 224, 225), "axis 3 must be 224");
        Block pool = Zoo.create("poolformer_s12", Map.of());
        assertMessage(pool, new Shape(1, 4, 224, 224), "axis 1 must be 3");
        assertMessage(pool, new Shape(224, 224), "rank 4");
        assertMessage(pool, new Shape(1, 3, 2, 2), "H and W >= 3");
    }

    private static void assertMessage(Block block, Shape bad, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.getOutputShapes(new Shape[] {bad}));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void poolFormerAcceptsOtherSizes() {
        Block pool = Zoo.create("poolformer_s12", Map.of());
        assertEquals(new Shape(2, 1000), pool.getOutputShapes(new Shape[] {new Shape(2, 3, 192, 256)})[0]);
    }
}
