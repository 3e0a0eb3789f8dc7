package io.github.mlpzoo.vision.raftmlp;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;

/**
 * The RaftMLP variants, registered with the zoo through {@code META-INF/services}: {@code raft_mlp_s},
 * {@code raft_mlp_m}, {@code raft_mlp_l}, as the official
 * {@code configs/settings/imagenet-raft-mlp-cross-mlp-emb-{s,m,l}.yaml} define them ({@link RaftMlpConfig}). Input
 * one float32 image {@code (B, 3, H, W)}, 224×224 by default, any other size by bicubic resizing inside; output
 * class logits.
 */
public final class RaftMlpVariants implements VariantProvider {

    static final String PAPER = "Tatsunami & Taki, RaftMLP: How Much Can Be Done Without Attention and with Less "
            + "Spatial Locality?, arXiv 2108.04384";
    static final String REPO = "okojoalg/raft-mlp (libs/models.py, libs/modules.py)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("raft_mlp_s", RaftMlpConfig.small(), "S: [64,128,256,512], 9.9M params"),
                variant("raft_mlp_m", RaftMlpConfig.medium(), "M: [96,192,384,768], 21.4M params"),
                variant("raft_mlp_l", RaftMlpConfig.large(), "L: [128,192,512,1024], 36.2M params"));
    }

    private static Variant<RaftMlpConfig> variant(String name, RaftMlpConfig config, String summary) {
        return Variant.builder(name, config)
                .setDomain("vision")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary("RaftMLP " + summary + "; any input size (bicubic resize to the trained grid)")
                .setFactory(RaftMlp::of)
                .optKeyMap(RaftMlp::keyMap)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.inChannels(), c.imageSize(),
                        c.imageSize()), DataType.FLOAT32, "image")})
                .build();
    }
}
