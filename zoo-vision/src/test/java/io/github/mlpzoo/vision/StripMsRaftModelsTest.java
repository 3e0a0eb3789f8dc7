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

/** The block contract on tiny Strip-MLP, MS-MLP and RaftMLP configs, and the shape errors of the full-size variants. */
class StripMsRaftModelsTest {

    static final Map<String, String> TINY_STRIP = Map.of("imageSize", "16", "patchSize", "2", "embedDim", "8",
            "layers", "1,1,1,1", "numClasses", "3", "inChannels", "2");
    static final Map<String, String> TINY_MSMLP = Map.of("imageSize", "16", "patchSize", "2", "embedDim", "10",
            "depths", "1,1,1,1", "numClasses", "3", "dropPath", "0.1", "inChannels", "2");
    static final Map<String, String> TINY_RAFT = Map.of("imageSize", "16", "depths", "1,1", "dims", "8,8",
            "patchSizes", "4,2", "raftSizes", "2,4", "crossScales", "2,1", "numClasses", "3", "inChannels", "2");

    @Test
    void tinyStripMlp() {
        BlockContract.ofVariant("strip_mlp_t", TINY_STRIP).withSteps(10).check();
    }

    @Test
    void tinyMsMlp() {
        BlockContract.ofVariant("ms_mlp_t", TINY_MSMLP).withSteps(10).check();
    }

    @Test
    void tinyRaftMlpAtAnySize() {
        // the token MLPs are sized for 16x16 (grids 4 and 2); 20x12 is resized inside, as the official code does
        BlockContract.of(() -> Zoo.create("raft_mlp_s", TINY_RAFT), new Shape(2, 2, 20, 12))
                .withFreeAxes(0, 2, 3).withSteps(10).check();
    }

    @Test
    void wrongImageSizeChannelsOrRankNameTheExpectedShape() {
        Block strip = Zoo.create("strip_mlp_t_light", Map.of());
        assertMessage(strip, new Shape(1, 3, 200, 224), "StripMlp expects input (B, C, H, W) (B, 3, 224, 224): axis 2 "
                + "must be 224");
        assertMessage(strip, new Shape(1, 1, 224, 224), "axis 1 must be 3");
        assertMessage(strip, new Shape(3, 224, 224), "rank 4 (B, 3, 224, 224)");
        Block ms = Zoo.create("ms_mlp_t", Map.of());
        assertMessage(ms, new Shape(1, 3, 224, 256), "MsMlp expects input (B, C, H, W) (B, 3, 224, 224): axis 3 must "
                + "be 224");
        assertMessage(ms, new Shape(1, 4, 224, 224), "axis 1 must be 3");
        Block raft = Zoo.create("raft_mlp_s", Map.of());
        assertMessage(raft, new Shape(1, 1, 224, 224), "RaftMlp expects input (B, C, H, W) (B, 3, *, *): axis 1 must be "
                + "3");
        assertMessage(raft, new Shape(224, 224), "rank 4");
        assertEquals(new Shape(2, 1000), raft.getOutputShapes(new Shape[] {new Shape(2, 3, 200, 256)})[0]);
    }

    @Test
    void configsRefuseWiringsTheOfficialCodeCannotBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Zoo.create("ms_mlp_t", Map.of("embedDim", "16")));
        assertTrue(e.getMessage().contains("16 channels into 4 groups of 4, not 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.create("strip_mlp_t", Map.of("layers", "2,2,2")));
        assertTrue(e.getMessage().contains("4 stage depths"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.create("raft_mlp_s", Map.of("dims", "64,128,256,509")));
        assertTrue(e.getMessage().contains("dim a multiple of raft"), e.getMessage());
    }

    private static void assertMessage(Block block, Shape bad, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.getOutputShapes(new Shape[] {bad}));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
